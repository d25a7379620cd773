package io.jccl.algorithms;

import io.jccl.algorithms.pattern.Trees;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.CollectiveSpec;
import io.jccl.schedule.ScheduleBuilder;

/**
 * Pipelined chain broadcast: {@code root -> root+1 -> ... -> root-1}, slice by slice.
 *
 * <p>Steps per rank: one per slice; cost {@code (n-2+S)·α + (1+(n-2)/S)·c·β} for {@code S}
 * slices: close to {@code c·β} for large messages, whatever {@code n}.
 * <pre>
 *   root ─s3 s2 s1─► r+1 ─s2 s1─► r+2 ─s1─► ...
 * </pre>
 */
final class ChainBroadcast extends BaseAlgorithm {
    ChainBroadcast() {
        super("chain", CollectiveKind.BROADCAST);
    }

    @Override
    void build(ScheduleBuilder b, CollectiveSpec spec, int rank) {
        RootedPlans.broadcast(b, spec, Trees.chain(spec.worldSize(), spec.root(), rank));
    }
}
