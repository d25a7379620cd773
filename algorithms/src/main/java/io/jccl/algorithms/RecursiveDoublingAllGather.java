package io.jccl.algorithms;

import io.jccl.algorithms.pattern.PowersOfTwo;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.CollectiveSpec;
import io.jccl.schedule.Role;
import io.jccl.schedule.ScheduleBuilder;

/**
 * Recursive-doubling allgather, power-of-two world sizes only ({@link #supports} declines
 * others; use {@code bruck}). In round {@code k} rank {@code r} swaps everything it holds, the
 * {@code 2^k} blocks of its aligned group, with partner {@code r xor 2^k}.
 *
 * <p>Steps {@code log2 n}; cost {@code log2 n·α + (n-1)·c·β}. Groups are contiguous in OUTPUT,
 * so each round is one message (sliced); one lane only, since a lane split would break a
 * group into {@code 2^k} strided pieces.
 * <pre>
 *   round 0: [0][1] [2][3]   round 1: [0 1]⇄[2 3]   ...
 * </pre>
 */
final class RecursiveDoublingAllGather extends BaseAlgorithm {
    RecursiveDoublingAllGather() {
        super("recursive_doubling", CollectiveKind.ALL_GATHER);
    }

    @Override
    boolean supportsShape(CollectiveSpec spec) {
        return PowersOfTwo.isPowerOfTwo(spec.worldSize());
    }

    @Override
    void build(ScheduleBuilder b, CollectiveSpec spec, int rank) {
        int n = spec.worldSize();
        long c = spec.countElements();
        long slice = spec.sliceElements();
        if (!spec.inPlace()) {
            b.copy(0, Role.INPUT, 0, Role.OUTPUT, rank * c, c);
        }
        for (int mask = 1; mask < n; mask <<= 1) {
            int partner = rank ^ mask;
            long mine = (long) (rank & -mask) * c;
            long theirs = (long) (partner & -mask) * c;
            long size = mask * c;
            for (long o = 0; o < size; o += slice) {
                long len = sliceLength(size, o, slice);
                if (mask == 1) {
                    b.send(0, partner, Role.INPUT, o, len);
                } else {
                    b.send(0, partner, Role.OUTPUT, mine + o, len);
                }
                b.recv(0, partner, Role.OUTPUT, theirs + o, len);
            }
        }
    }
}
