package io.jccl.algorithms;

import io.jccl.algorithms.pattern.Partition;
import io.jccl.algorithms.pattern.PowersOfTwo;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.CollectiveSpec;
import io.jccl.schedule.Role;
import io.jccl.schedule.Schedule;
import io.jccl.schedule.ScheduleBuilder;

/**
 * Recursive-doubling allreduce for small messages. With {@code p} the largest power of two
 * {@code <= n}, the {@code n-p} extra ranks {@code e >= p} first fold their input into rank
 * {@code e-p}; the {@code p} core ranks then exchange and reduce with partner {@code r xor 2^k}
 * for {@code k = 0..log2(p)-1}; finally rank {@code e-p} hands the result back to {@code e}.
 *
 * <p>Steps {@code log2 p (+2)}; cost {@code (log2 p + 2)·α + (log2 p + 2)·c·β}: fewest rounds,
 * but every round moves the whole message, so it only pays for small messages. Both partners
 * compute {@code mine ⊕ theirs} from the same two sub-results, so all ranks hold the same
 * expression; the last round is final on every core rank. Lanes split the buffer into
 * contiguous parts, slices bound message sizes.
 * <pre>
 *   round 0: 0⇄1  2⇄3  4⇄5  6⇄7
 *   round 1: 0⇄2  1⇄3  4⇄6  5⇄7
 *   round 2: 0⇄4  1⇄5  2⇄6  3⇄7      (+ fold 8→0, 9→1 before, and back after)
 * </pre>
 */
final class RecursiveDoublingAllReduce extends BaseAlgorithm {
    RecursiveDoublingAllReduce() {
        super("recursive_doubling", CollectiveKind.ALL_REDUCE);
    }

    @Override
    void build(ScheduleBuilder b, CollectiveSpec spec, int rank) {
        int n = spec.worldSize();
        int p = PowersOfTwo.floor(n);
        long slice = spec.sliceElements();
        for (int lane = 0; lane < spec.lanes(); lane++) {
            long partStart = Partition.start(spec.countElements(), spec.lanes(), lane);
            long part = Partition.size(spec.countElements(), spec.lanes(), lane);
            if (rank >= p) {
                for (long o = 0; o < part; o += slice) {
                    b.send(lane, rank - p, Role.INPUT, partStart + o, sliceLength(part, o, slice));
                }
                for (long o = 0; o < part; o += slice) {
                    b.recv(lane, rank - p, Role.OUTPUT, partStart + o, sliceLength(part, o, slice));
                }
                continue;
            }
            Role acc = Role.INPUT;
            if (rank + p < n) {
                for (long o = 0; o < part; o += slice) {
                    b.recvReduce(lane, rank + p, Role.INPUT, partStart + o, Role.OUTPUT, partStart + o,
                            sliceLength(part, o, slice), 0);
                }
                acc = Role.OUTPUT;
            }
            for (int mask = 1; mask < p; mask <<= 1) {
                int partner = rank ^ mask;
                int flags = mask * 2 == p ? Schedule.FLAG_FINAL : 0;
                for (long o = 0; o < part; o += slice) {
                    long len = sliceLength(part, o, slice);
                    b.send(lane, partner, acc, partStart + o, len);
                    b.recvReduce(lane, partner, acc, partStart + o, Role.OUTPUT, partStart + o, len, flags);
                }
                acc = Role.OUTPUT;
            }
            if (rank + p < n) {
                for (long o = 0; o < part; o += slice) {
                    b.send(lane, rank + p, Role.OUTPUT, partStart + o, sliceLength(part, o, slice));
                }
            }
        }
    }
}
