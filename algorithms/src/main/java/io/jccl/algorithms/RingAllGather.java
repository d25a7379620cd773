package io.jccl.algorithms;

import io.jccl.algorithms.pattern.Partition;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.CollectiveSpec;
import io.jccl.schedule.Role;
import io.jccl.schedule.ScheduleBuilder;

/**
 * Ring allgather: the second half of ring allreduce ({@link RingPieces#allGather}); rank
 * {@code r}'s block starts in INPUT and lands in OUTPUT block {@code r} everywhere.
 *
 * <p>Steps {@code n-1}; cost {@code (n-1)·α + (n-1)·c·β}: bandwidth-optimal for large blocks.
 * Out of place, the own block is sent straight from INPUT and copied locally alongside.
 * <pre>
 *   step 1: r sends b_r ──► r+1     step 2: r forwards b_(r-1) ──► r+1   ...
 * </pre>
 * Lanes split every block into the same contiguous parts.
 */
final class RingAllGather extends BaseAlgorithm {
    RingAllGather() {
        super("ring", CollectiveKind.ALL_GATHER);
    }

    @Override
    void build(ScheduleBuilder b, CollectiveSpec spec, int rank) {
        int n = spec.worldSize();
        long c = spec.countElements();
        long slice = spec.sliceElements();
        for (int lane = 0; lane < spec.lanes(); lane++) {
            long partStart = Partition.start(c, spec.lanes(), lane);
            long part = Partition.size(c, spec.lanes(), lane);
            if (part == 0) {
                continue;
            }
            var ring = new RingPieces.RingLane(lane, rank, n, slice, k -> part);
            var own = new RingPieces.Place(Role.INPUT, (k, o) -> partStart + o);
            var output = new RingPieces.Place(Role.OUTPUT, (k, o) -> k * c + partStart + o);
            RingPieces.allGather(b, ring, own, output);
            if (!spec.inPlace()) {
                for (long o = 0; o < part; o += slice) {
                    b.copy(lane, Role.INPUT, partStart + o, Role.OUTPUT, rank * c + partStart + o,
                            sliceLength(part, o, slice));
                }
            }
        }
    }
}
