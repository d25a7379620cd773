package io.jccl.bench.jmh;

import io.jccl.Communicator;
import io.jccl.DataType;
import io.jccl.ReduceOp;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.CollectiveSpec;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Engine cost per step: a collective whose steps carry (almost) no data, on ranks as threads over
 * the in-JVM {@code loopback} transport, so the time is the engine's (submit, post, match, complete,
 * wake the caller) rather than the network's. The benchmark thread is rank 0; the other ranks repeat
 * the same call in background threads ({@link RankThreads}).
 *
 * <p>Workloads ({@code workload}):
 * <ul>
 * <li>{@code barrier}: the dissemination barrier, {@code ceil(log2 n)} one-element signals;</li>
 * <li>{@code allreduce_1}: allreduce of one float32 (recursive doubling, one lane in use);</li>
 * <li>{@code allreduce_sliced}: allreduce of {@value #SLICED_ELEMENTS} float32 with
 *     {@code jccl.slice.bytes=64}, so hundreds of 64-byte steps per call.</li>
 * </ul>
 * The primary figure is time per call. The secondary figure {@code steps} counts rank 0's planned
 * steps per call (from its own plan, made with the same SPI), so JMH prints it as time per step.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EngineStepBenchmark extends JmhDefaults {
    static final int SLICED_ELEMENTS = 4096;
    private static final int SLICED_SLICE_BYTES = 64;

    @Param({"2", "4"})
    public int ranks;

    @Param({"barrier", "allreduce_1", "allreduce_sliced"})
    public String workload;

    /** {@code loopback} isolates the engine; {@code tcp} adds the socket path to every step. */
    @Param({"loopback"})
    public String transport;

    private RankThreads group;
    private ByteBuffer in;
    private ByteBuffer out;
    private long countElements;
    private int stepsPerCall;

    /** Rank 0's steps, normalised by JMH to time per step. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Steps {
        public long steps;

        @Setup(Level.Iteration)
        public void reset() {
            steps = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        boolean barrier;
        switch (workload) {
            case "barrier": barrier = true; countElements = 0; break;
            case "allreduce_1": barrier = false; countElements = 1; break;
            case "allreduce_sliced": barrier = false; countElements = SLICED_ELEMENTS; break;
            default:
                throw new IllegalArgumentException("Unknown workload '" + workload
                        + "'; use barrier, allreduce_1 or allreduce_sliced");
        }
        Map<String, String> options = workload.equals("allreduce_sliced")
                ? Map.of("jccl.slice.bytes", Integer.toString(SLICED_SLICE_BYTES)) : Map.of();
        group = RankThreads.start(ranks, transport, options);
        try {
            startRanks(barrier);
        } catch (RuntimeException e) {
            RankThreads failed = group;
            group = null;
            throw failed.closeAfter(e);
        }
    }

    private void startRanks(boolean barrier) {
        Communicator comm0 = group.comm(0);
        if (barrier) {
            CollectiveSpec spec = Plans.spec(comm0, CollectiveKind.BARRIER, 0, DataType.INT8, null, -1, false);
            stepsPerCall = Plans.stepsPerCall(comm0, spec, null);
            group.startPeers(rank -> group.comm(rank)::barrier);
        } else {
            CollectiveSpec spec = Plans.spec(comm0, CollectiveKind.ALL_REDUCE, countElements, DataType.FLOAT32,
                    ReduceOp.SUM, -1, false);
            stepsPerCall = Plans.stepsPerCall(comm0, spec, null);
            in = input(comm0);
            out = comm0.allocate(countElements * Float.BYTES);
            group.startPeers(rank -> {
                Communicator c = group.comm(rank);
                ByteBuffer peerIn = input(c);
                ByteBuffer peerOut = c.allocate(countElements * Float.BYTES);
                return () -> c.allReduce(peerIn, peerOut, countElements, DataType.FLOAT32, ReduceOp.SUM);
            });
        }
    }

    /** Input of rank r: every element r + 1, so the sum is n(n+1)/2 in every element. */
    private ByteBuffer input(Communicator c) {
        ByteBuffer b = c.allocate(countElements * Float.BYTES);
        for (int i = 0; i < countElements; i++) {
            b.putFloat(i * Float.BYTES, c.rank() + 1);
        }
        return b;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (group != null) {
            group.close();
            group = null;
        }
    }

    /** Rank 0's planned steps per call. */
    int stepsPerCall() {
        return stepsPerCall;
    }

    /** Rank 0's allreduce output; {@code null} for the barrier (for tests). */
    ByteBuffer output() {
        return out;
    }

    @Benchmark
    public void call(Steps counter) {
        if (out == null) {
            group.comm(0).barrier();
        } else {
            group.comm(0).allReduce(in, out, countElements, DataType.FLOAT32, ReduceOp.SUM);
        }
        counter.steps += stepsPerCall;
    }
}
