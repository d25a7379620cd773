package io.jccl.bench.jmh;

import io.jccl.DataType;
import io.jccl.ReduceOp;
import io.jccl.config.CoreOptions;
import io.jccl.schedule.Algorithm;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.CollectiveSpec;
import io.jccl.schedule.Schedule;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Cost of planning: one {@link Algorithm#plan} call, i.e. what a communicator pays the first time it
 * meets a call shape (later calls hit its plan cache). The algorithm comes from the SPI as a
 * communicator finds it ({@code ServiceLoader}); the spec uses the communicator defaults for slice
 * size and lanes ({@code jccl.slice.bytes}, {@code jccl.lanes}). The plan is made for the middle rank
 * {@code worldSize / 2}, which is an interior node of the trees for the world sizes here.
 *
 * <p>{@code countElements} is the message as nccl-tests counts it (float32 elements): the buffer of
 * allreduce and broadcast, the whole output of allgather (so each rank's block is
 * {@code countElements / worldSize}, at least 1). Reported as time per plan.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PlanningBenchmark extends JmhDefaults {

    /** {@code collective:algorithm}, with the names of {@code jccl.algo.<collective>}. */
    @Param({"allreduce:ring", "allreduce:tree", "allreduce:recursive_doubling", "allgather:ring", "broadcast:tree"})
    public String plan;

    @Param({"4", "64", "1024"})
    public int worldSize;

    /** 4 MiB of float32: a typical gradient bucket. */
    @Param({"1048576"})
    public long countElements;

    private Algorithm algorithm;
    private CollectiveSpec spec;
    private int rank;

    @Setup(Level.Trial)
    public void setUp() {
        int colon = plan.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("plan must be collective:algorithm, e.g. allreduce:ring, got " + plan);
        }
        CollectiveKind kind = CollectiveKind.fromKey(plan.substring(0, colon));
        long count = kind == CollectiveKind.ALL_GATHER || kind == CollectiveKind.REDUCE_SCATTER
                ? Math.max(1, countElements / worldSize) : countElements;
        boolean rooted = kind == CollectiveKind.BROADCAST || kind == CollectiveKind.REDUCE;
        spec = CollectiveSpec.forCall(kind, worldSize, count, DataType.FLOAT32, ReduceOp.SUM,
                rooted ? 0 : -1, false, CoreOptions.SLICE_BYTES.defaultValue(), CoreOptions.LANES.defaultValue());
        algorithm = Plans.selector(worldSize).byName(kind, plan.substring(colon + 1));
        if (!algorithm.supports(spec)) {
            throw new IllegalArgumentException(plan + " does not support " + spec);
        }
        rank = worldSize / 2;
    }

    /** The spec being planned (for tests). */
    CollectiveSpec spec() {
        return spec;
    }

    /** The rank being planned for (for tests). */
    int rank() {
        return rank;
    }

    @Benchmark
    public Schedule planSchedule() {
        return algorithm.plan(spec, rank);
    }
}
