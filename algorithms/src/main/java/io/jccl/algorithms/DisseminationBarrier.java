package io.jccl.algorithms;

import io.jccl.algorithms.pattern.PowersOfTwo;
import io.jccl.algorithms.pattern.Ring;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.CollectiveSpec;
import io.jccl.schedule.Role;
import io.jccl.schedule.ScheduleBuilder;

/**
 * Dissemination barrier: in round {@code k} rank {@code r} signals {@code r+2^k} and waits for
 * {@code r-2^k}; after {@code ceil(log2 n)} rounds every rank has (transitively) heard from all.
 *
 * <p>Steps {@code ceil(log2 n)}; cost {@code ceil(log2 n)·α}. Round {@code k+1}'s signal must
 * leave only after round {@code k}'s (and so every earlier round's) signal arrived. Each
 * wait-then-signal is one fused RECV_COPY_SEND, and all of them land on the same scratch element,
 * so the engine's write-after-write tracking runs them one after another. That is why a signal
 * carries {@value #SIGNAL_ELEMENTS} (meaningless) element: zero-element steps touch no bytes, the
 * engine could overlap them, and a round could then pass on only its own predecessor's news.
 * <pre>
 *   k=0: 0→1 1→2 2→3 3→0    k=1: 0→2 1→3 2→0 3→1
 * </pre>
 */
final class DisseminationBarrier extends BaseAlgorithm {
    /** Elements per signal; 0 is only safe if the engine orders zero-element steps in a lane. */
    static final int SIGNAL_ELEMENTS = 1;

    DisseminationBarrier() {
        super("dissemination", CollectiveKind.BARRIER);
    }

    @Override
    void build(ScheduleBuilder b, CollectiveSpec spec, int rank) {
        int n = spec.worldSize();
        int rounds = PowersOfTwo.ceilLog2(n);
        if (rounds == 0) {
            return;
        }
        b.scratch(SIGNAL_ELEMENTS);
        b.send(0, Ring.mod(rank + 1L, n), Role.SCRATCH, 0, SIGNAL_ELEMENTS);
        for (int k = 1; k < rounds; k++) {
            b.recvCopySend(0, Ring.mod(rank - (1L << (k - 1)), n), Ring.mod(rank + (1L << k), n),
                    Role.SCRATCH, 0, SIGNAL_ELEMENTS);
        }
        b.recv(0, Ring.mod(rank - (1L << (rounds - 1)), n), Role.SCRATCH, 0, SIGNAL_ELEMENTS);
    }
}
