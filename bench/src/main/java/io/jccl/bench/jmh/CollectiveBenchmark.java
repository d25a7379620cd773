package io.jccl.bench.jmh;

import io.jccl.CallOptions;
import io.jccl.Collectives;
import io.jccl.Communicator;
import io.jccl.DataType;
import io.jccl.ReduceOp;
import io.jccl.schedule.CollectiveKind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Steady-state in-JVM collectives: {@code ranks} ranks as threads over {@code transport}
 * ({@code loopback} or {@code tcp} on 127.0.0.1), met through an in-memory store. The benchmark
 * thread is rank 0 and makes one blocking call per operation; ranks {@code 1..n-1} repeat the same
 * call in background threads ({@link RankThreads}). Reported as time per call at rank 0.
 *
 * <p>Sizes follow nccl-tests: {@code bytes} is the allreduce buffer and the whole allgather output
 * (each rank contributes {@code bytes / ranks}, at least one element). Data is float32, allreduce is
 * out of place with op sum. Every buffer is allocated once in setup and reused, and the per-call
 * view ({@code algorithm}) is made once, so under {@code -prof gc} the allocation per operation is
 * the library's alone: JMH's {@code gc.alloc.rate.norm} sums every thread of the JVM, so it covers
 * all ranks' callers, engines and transport threads per rank-0 call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CollectiveBenchmark extends JmhDefaults {

    @Param({"allreduce", "allgather"})
    public String collective;

    @Param({"loopback", "tcp"})
    public String transport;

    @Param({"2", "4"})
    public int ranks;

    @Param({"8", "65536", "4194304"})
    public int bytes;

    /** Forced algorithm ({@link CallOptions#algorithm}), or {@code auto} for the communicator's choice. */
    @Param({"auto"})
    public String algorithm;

    private RankThreads group;
    private long countElements;
    private boolean allReduce;
    private Collectives calls0;
    private ByteBuffer in0;
    private ByteBuffer out0;

    @Setup(Level.Trial)
    public void setUp() {
        switch (collective) {
            case "allreduce":
                allReduce = true;
                countElements = Math.max(1, bytes / Float.BYTES);
                break;
            case "allgather":
                allReduce = false;
                countElements = Math.max(1, bytes / ((long) Float.BYTES * ranks));
                break;
            default:
                throw new IllegalArgumentException("Unknown collective '" + collective + "'; use allreduce or allgather");
        }
        if (!algorithm.equals("auto")) {
            // Fail here, naming the choices, rather than in rank 0's first measured call.
            Plans.selector(ranks).byName(allReduce ? CollectiveKind.ALL_REDUCE : CollectiveKind.ALL_GATHER, algorithm);
        }
        group = RankThreads.start(ranks, transport, Map.of());
        try {
            Communicator comm0 = group.comm(0);
            calls0 = view(comm0);
            in0 = input(comm0);
            out0 = comm0.allocate(outputElements() * Float.BYTES);
            group.startPeers(rank -> {
                Communicator c = group.comm(rank);
                Collectives calls = view(c);
                ByteBuffer in = input(c);
                ByteBuffer out = c.allocate(outputElements() * Float.BYTES);
                return () -> run(calls, in, out);
            });
        } catch (RuntimeException e) {
            RankThreads failed = group;
            group = null;
            throw failed.closeAfter(e);
        }
    }

    private Collectives view(Communicator c) {
        return algorithm.equals("auto") ? c : c.with(CallOptions.algorithm(algorithm));
    }

    private long outputElements() {
        return allReduce ? countElements : countElements * ranks;
    }

    /** Input of rank r: every element r + 1 (an exact float sum, and allgather blocks tell ranks apart). */
    private ByteBuffer input(Communicator c) {
        ByteBuffer b = c.allocate(countElements * Float.BYTES);
        for (int i = 0; i < countElements; i++) {
            b.putFloat(i * Float.BYTES, c.rank() + 1);
        }
        return b;
    }

    private void run(Collectives calls, ByteBuffer in, ByteBuffer out) {
        if (allReduce) {
            calls.allReduce(in, out, countElements, DataType.FLOAT32, ReduceOp.SUM);
        } else {
            calls.allGather(in, out, countElements, DataType.FLOAT32);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (group != null) {
            group.close();
            group = null;
        }
    }

    /** Elements each rank contributes (for tests). */
    long countElements() {
        return countElements;
    }

    /** Rank 0's output buffer (for tests). */
    ByteBuffer output() {
        return out0;
    }

    @Benchmark
    public void call() {
        run(calls0, in0, out0);
    }
}
