package io.jccl.algorithms;

import io.jccl.algorithms.pattern.Partition;
import io.jccl.schedule.Algorithm;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.CollectiveSpec;
import io.jccl.schedule.Role;
import io.jccl.schedule.Schedule;
import io.jccl.schedule.ScheduleBuilder;

/**
 * What every standard algorithm shares: the checks every spec must pass, the empty plan for zero
 * elements and the local copy a one-rank world reduces to. Subclasses only emit steps for
 * {@code worldSize > 1} and {@code countElements > 0} (barrier: always).
 */
abstract class BaseAlgorithm implements Algorithm {
    private final String name;
    private final CollectiveKind kind;

    BaseAlgorithm(String name, CollectiveKind kind) {
        this.name = name;
        this.kind = kind;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final CollectiveKind kind() {
        return kind;
    }

    @Override
    public final boolean supports(CollectiveSpec spec) {
        if (spec.kind() != kind) {
            return false;
        }
        boolean reduces = kind == CollectiveKind.ALL_REDUCE || kind == CollectiveKind.REDUCE_SCATTER
                || kind == CollectiveKind.REDUCE;
        if (reduces && spec.reduceOp() == null) {
            return false;
        }
        boolean rooted = kind == CollectiveKind.BROADCAST || kind == CollectiveKind.REDUCE;
        if (rooted && (spec.root() < 0 || spec.root() >= spec.worldSize())) {
            return false;
        }
        // allgather/reducescatter address n*c elements; refuse sizes whose offsets would overflow.
        if (Math.multiplyHigh(spec.countElements(), spec.worldSize()) != 0
                || spec.countElements() * spec.worldSize() < 0) {
            return false;
        }
        return supportsShape(spec);
    }

    /** Algorithm-specific restrictions beyond the common checks (e.g. power-of-two world sizes). */
    boolean supportsShape(CollectiveSpec spec) {
        return true;
    }

    @Override
    public final Schedule plan(CollectiveSpec spec, int rank) {
        if (rank < 0 || rank >= spec.worldSize()) {
            throw new IllegalArgumentException("rank " + rank + " outside world of " + spec.worldSize());
        }
        if (!supports(spec)) {
            throw new IllegalArgumentException(kind.key() + " algorithm '" + name + "' does not support " + spec);
        }
        ScheduleBuilder b = new ScheduleBuilder(rank, spec.lanes());
        if (kind == CollectiveKind.BARRIER) {
            build(b, spec, rank);
        } else if (spec.countElements() > 0) {
            if (spec.worldSize() == 1) {
                copyAlone(b, spec);
            } else {
                build(b, spec, rank);
            }
        }
        return b.build();
    }

    /** Emits the steps of {@code rank}; {@code worldSize > 1} and {@code countElements > 0} (except barrier). */
    abstract void build(ScheduleBuilder b, CollectiveSpec spec, int rank);

    /** One rank: every collective is "output = input", nothing at all when in place. */
    private static void copyAlone(ScheduleBuilder b, CollectiveSpec spec) {
        if (spec.inPlace() || spec.kind() == CollectiveKind.BARRIER) {
            return;
        }
        long c = spec.countElements();
        for (int lane = 0; lane < spec.lanes(); lane++) {
            long size = Partition.size(c, spec.lanes(), lane);
            if (size > 0) {
                long at = Partition.start(c, spec.lanes(), lane);
                b.copy(lane, Role.INPUT, at, Role.OUTPUT, at, size);
            }
        }
    }

    /** Elements of slice {@code offset} of a range of {@code size}: at most {@code sliceElements}. */
    static long sliceLength(long size, long offset, long sliceElements) {
        return Math.min(sliceElements, size - offset);
    }
}
