package io.jccl.algorithms;

import io.jccl.algorithms.pattern.Partition;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.CollectiveSpec;
import io.jccl.schedule.Role;
import io.jccl.schedule.ScheduleBuilder;

/**
 * Ring reduce-scatter: the first half of ring allreduce ({@link RingPieces#reduceScatter}) with
 * block {@code k} = INPUT block {@code k}, finishing in OUTPUT on rank {@code k}.
 *
 * <p>Steps {@code n-1}; cost {@code (n-1)·α + (n-1)·c·β} for blocks of {@code c} elements.
 * Partial sums in transit go to a small ring of scratch slices ({@link ScratchSlots}), never to
 * OUTPUT: in place, OUTPUT is INPUT block {@code rank}, still needed for the last step.
 * <pre>
 *   INPUT  [ b0 | b1 | b2 | b3 ]  on every rank
 *   OUTPUT [ Σ b_r ]              on rank r
 * </pre>
 * Lanes split every block into the same contiguous parts.
 */
final class RingReduceScatter extends BaseAlgorithm {
    RingReduceScatter() {
        super("ring", CollectiveKind.REDUCE_SCATTER);
    }

    @Override
    void build(ScheduleBuilder b, CollectiveSpec spec, int rank) {
        int n = spec.worldSize();
        long c = spec.countElements();
        long slice = spec.sliceElements();
        long maxPart = Partition.size(c, spec.lanes(), spec.lanes() - 1);
        var scratch = ScratchSlots.layout(b, spec.lanes(), slice, maxPart,
                (n - 2L) * Partition.sliceCount(maxPart, slice));
        for (int lane = 0; lane < spec.lanes(); lane++) {
            long partStart = Partition.start(c, spec.lanes(), lane);
            long part = Partition.size(c, spec.lanes(), lane);
            if (part == 0) {
                continue;
            }
            var slots = scratch.forLane(lane);
            var ring = new RingPieces.RingLane(lane, rank, n, slice, k -> part);
            var input = new RingPieces.Place(Role.INPUT, (k, o) -> k * c + partStart + o);
            var partial = new RingPieces.Place(Role.SCRATCH, (k, o) -> slots.next());
            var result = new RingPieces.Place(Role.OUTPUT, (k, o) -> partStart + o);
            RingPieces.reduceScatter(b, ring, input, partial, result);
        }
    }
}
