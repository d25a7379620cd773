package io.jccl.algorithms;

import io.jccl.algorithms.pattern.Ring;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.CollectiveSpec;
import io.jccl.schedule.Role;
import io.jccl.schedule.ScheduleBuilder;

/**
 * Bruck allgather for any world size. Before round {@code k} (distance {@code d = 2^k}) rank
 * {@code r} holds blocks {@code r, r+1, ..., r+d-1} (mod n); it sends the first
 * {@code m = min(d, n-d)} of them to {@code r-d} and receives {@code r+d .. r+d+m-1} from
 * {@code r+d}. Blocks go straight to their final place in OUTPUT, so there is no closing
 * rotation; a run that wraps past block {@code n-1} travels as two messages, split identically
 * by sender and receiver.
 *
 * <p>Steps {@code ceil(log2 n)}; cost {@code ceil(log2 n)·α + (n-1)·c·β}: the latency of
 * recursive doubling for every {@code n}. One lane (a lane split would make runs strided).
 * <pre>
 *   n=5, rank 0 holds:  {0} → {0,1} → {0,1,2,3} → {0,1,2,3,4}
 *                       d=1: from 1   d=2: from 2   d=4: 1 block from 4
 * </pre>
 */
final class BruckAllGather extends BaseAlgorithm {
    BruckAllGather() {
        super("bruck", CollectiveKind.ALL_GATHER);
    }

    @Override
    void build(ScheduleBuilder b, CollectiveSpec spec, int rank) {
        int n = spec.worldSize();
        long c = spec.countElements();
        if (!spec.inPlace()) {
            b.copy(0, Role.INPUT, 0, Role.OUTPUT, rank * c, c);
        }
        for (long d = 1; d < n; d <<= 1) {
            int blocks = (int) Math.min(d, n - d);
            int to = Ring.mod(rank - d, n);
            int from = Ring.mod(rank + d, n);
            if (d == 1) {
                sliced(b, spec, to, Role.INPUT, 0, c, true);
            } else {
                run(b, spec, to, rank, blocks, true);
            }
            run(b, spec, from, from, blocks, false);
        }
    }

    /** Blocks {@code first .. first+blocks-1} (mod n) of OUTPUT, as one or two contiguous pieces. */
    private static void run(ScheduleBuilder b, CollectiveSpec spec, int peer, int first, int blocks, boolean send) {
        int n = spec.worldSize();
        long c = spec.countElements();
        int untilWrap = Math.min(blocks, n - first);
        sliced(b, spec, peer, Role.OUTPUT, first * c, untilWrap * c, send);
        if (untilWrap < blocks) {
            sliced(b, spec, peer, Role.OUTPUT, 0, (blocks - untilWrap) * c, send);
        }
    }

    private static void sliced(ScheduleBuilder b, CollectiveSpec spec, int peer, Role role, long offset, long size,
                               boolean send) {
        long slice = spec.sliceElements();
        for (long o = 0; o < size; o += slice) {
            long len = sliceLength(size, o, slice);
            if (send) {
                b.send(0, peer, role, offset + o, len);
            } else {
                b.recv(0, peer, role, offset + o, len);
            }
        }
    }
}
