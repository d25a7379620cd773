/**
 * JMH microbenchmarks: reduce kernels, planning, engine cost per step and in-JVM collectives. Every
 * benchmark extends {@link io.jccl.bench.jmh.JmhDefaults}; the multi-rank ones run ranks as threads
 * through {@code RankThreads}. Build and run with {@code bench/bin/jccl-jmh}, which
 * passes its arguments to JMH:
 * <pre>
 * bench/bin/jccl-jmh ReduceKernel -p dtype=float32,int32 -p op=sum
 * bench/bin/jccl-jmh CollectiveBenchmark -p collective=allreduce -prof gc
 * </pre>
 * (It builds with {@code mvn -pl bench -am package dependency:build-classpath}: the reactor is needed
 * because the JCCL modules are not installed in the local repository.) The benchmarks use only the
 * public API and the schedule/algorithm SPI, never the engine's internals.
 */
package io.jccl.bench.jmh;
