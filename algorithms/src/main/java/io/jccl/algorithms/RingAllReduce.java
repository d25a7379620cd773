package io.jccl.algorithms;

import io.jccl.algorithms.pattern.Partition;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.CollectiveSpec;
import io.jccl.schedule.Role;
import io.jccl.schedule.ScheduleBuilder;

/**
 * Ring allreduce = ring reduce-scatter + ring allgather ({@link RingPieces}).
 *
 * <p>Steps {@code 2(n-1)}; cost {@code 2(n-1)·α + 2·(n-1)/n·c·β}: bandwidth-optimal, latency
 * linear in {@code n}, so it is the choice for large messages. Each lane runs its own ring over a
 * contiguous part of the buffer; each part is cut floor-style into {@code n} blocks and blocks
 * into slices. The first reduce of every block reads INPUT directly, so there is no copy pass.
 * <pre>
 *   r0 ──► r1 ──► r2 ──► r3
 *   ▲                     │
 *   └─────────────────────┘   block k finishes on rank k, then travels once more round
 * </pre>
 */
final class RingAllReduce extends BaseAlgorithm {
    RingAllReduce() {
        super("ring", CollectiveKind.ALL_REDUCE);
    }

    @Override
    void build(ScheduleBuilder b, CollectiveSpec spec, int rank) {
        int n = spec.worldSize();
        for (int lane = 0; lane < spec.lanes(); lane++) {
            long partStart = Partition.start(spec.countElements(), spec.lanes(), lane);
            long part = Partition.size(spec.countElements(), spec.lanes(), lane);
            if (part == 0) {
                continue;
            }
            var ring = new RingPieces.RingLane(lane, rank, n, spec.sliceElements(),
                    k -> Partition.size(part, n, k));
            RingPieces.Offsets blocks = (k, o) -> partStart + Partition.start(part, n, k) + o;
            var input = new RingPieces.Place(Role.INPUT, blocks);
            var output = new RingPieces.Place(Role.OUTPUT, blocks);
            RingPieces.reduceScatter(b, ring, input, output, output);
            RingPieces.allGather(b, ring, output, output);
        }
    }
}
