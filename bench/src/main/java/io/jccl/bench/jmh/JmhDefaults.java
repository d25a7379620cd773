package io.jccl.bench.jmh;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * JMH defaults shared by every JCCL benchmark, sized for a 2-core machine: one fork, 3 × 1 s warm-up,
 * 5 × 1 s measurement, throughput per second. JMH's annotations are inherited, so a benchmark class
 * only extends this; command-line flags ({@code -f -wi -i -w -r}) still override.
 */
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public abstract class JmhDefaults {
}
