package io.jccl.algorithms;

import io.jccl.algorithms.pattern.Partition;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.CollectiveSpec;
import io.jccl.schedule.Role;
import io.jccl.schedule.Schedule;
import io.jccl.schedule.ScheduleBuilder;

/**
 * One-round allreduce for tiny messages in small worlds: every rank sends its whole input to every
 * other rank and combines the {@code n} inputs itself, in rank order, so every rank evaluates the
 * same expression {@code ((x0 ⊕ x1) ⊕ x2) ⊕ …} and all results are bit-identical.
 *
 * <p>Steps {@code 2(n-1)} per slice, but only one round: nothing a rank sends waits for anything it
 * receives. Cost {@code α + (n-1)·c·β} on the wire per rank, {@code n-1} messages each way. It pays
 * when the latency of a round is the cost, which is when several ranks share a core: each round of
 * recursive doubling then waits for the partner to be scheduled, and here a rank waits once.
 * The message count grows with {@code n}, so the table uses it for small worlds only.
 *
 * <p>Every rank accumulates in its output, except in place on ranks other than 0: there the
 * output is the rank's own input, which must survive until its turn, so the sum runs in scratch
 * and only the last step writes the output. Combining {@code x_r} at its turn relies on the
 * standard ops being commutative ({@code acc ⊕ x_r = x_r ⊕ acc}, exactly, in IEEE arithmetic too).
 */
final class DirectAllReduce extends BaseAlgorithm {
    /** Larger worlds would send {@code n-1} messages per rank and call: declined. */
    static final int MAX_WORLD = 16;

    DirectAllReduce() {
        super("direct", CollectiveKind.ALL_REDUCE);
    }

    @Override
    boolean supportsShape(CollectiveSpec spec) {
        return spec.worldSize() <= MAX_WORLD;
    }

    @Override
    void build(ScheduleBuilder b, CollectiveSpec spec, int rank) {
        int n = spec.worldSize();
        long slice = spec.sliceElements();
        long maxPart = (spec.countElements() + spec.lanes() - 1) / spec.lanes(); // no lane's part is larger
        if (rank != 0 && spec.inPlace()) {
            b.scratch(maxPart * spec.lanes());
        }
        for (int lane = 0; lane < spec.lanes(); lane++) {
            long partStart = Partition.start(spec.countElements(), spec.lanes(), lane);
            long part = Partition.size(spec.countElements(), spec.lanes(), lane);
            long scratchStart = lane * maxPart;
            for (long o = 0; o < part; o += slice) {
                long len = sliceLength(part, o, slice);
                long at = partStart + o;
                for (int k = 1; k < n; k++) {
                    b.send(lane, (rank + k) % n, Role.INPUT, at, len); // staggered: not all to rank 0 first
                }
                if (rank == 0) {
                    rankZero(b, lane, n, at, len);
                } else {
                    other(b, lane, n, rank, spec.inPlace(), at, scratchStart + o, len);
                }
            }
        }
    }

    private static void rankZero(ScheduleBuilder b, int lane, int n, long at, long len) {
        for (int j = 1; j < n; j++) {
            int flags = j == n - 1 ? Schedule.FLAG_FINAL : 0;
            b.recvReduce(lane, j, j == 1 ? Role.INPUT : Role.OUTPUT, at, Role.OUTPUT, at, len, flags);
        }
    }

    /**
     * Out of place the input survives, so the output accumulates from {@code x0} on. In place the
     * output is our input, so the sum runs in scratch and reaches the output at the last step.
     */
    private static void other(ScheduleBuilder b, int lane, int n, int rank, boolean inPlace, long at, long scratchAt,
                              long len) {
        Role accRole = inPlace ? Role.SCRATCH : Role.OUTPUT;
        long accAt = inPlace ? scratchAt : at;
        b.recv(lane, 0, accRole, accAt, len);
        for (int j = 1; j < n; j++) {
            boolean last = j == n - 1;
            int flags = last ? Schedule.FLAG_FINAL : 0;
            if (j != rank) {
                b.recvReduce(lane, j, accRole, accAt, last ? Role.OUTPUT : accRole, last ? at : accAt, len, flags);
            } else if (!inPlace) {
                b.reduceLocal(lane, Role.INPUT, at, Role.OUTPUT, at, len, flags);
            } else if (!last) {
                b.reduceLocal(lane, Role.INPUT, at, Role.SCRATCH, scratchAt, len, flags);
            } else {
                b.reduceLocal(lane, Role.SCRATCH, scratchAt, Role.OUTPUT, at, len, flags); // the output holds x_r
            }
        }
    }
}
