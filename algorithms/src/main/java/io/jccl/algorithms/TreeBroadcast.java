package io.jccl.algorithms;

import io.jccl.algorithms.pattern.Trees;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.CollectiveSpec;
import io.jccl.schedule.ScheduleBuilder;

/**
 * Pipelined binary-tree broadcast rooted at {@code root} (heap order on {@code rank - root}).
 *
 * <p>Depth {@code d = floor(log2 n)}; cost {@code (d-1+S)·2α + 2·c·β} for {@code S} slices:
 * logarithmic latency, each interior rank sends every slice twice.
 * <pre>
 *          root
 *        /      \
 *      v1        v2
 *     /  \      /  \
 *   v3    v4  v5    v6
 * </pre>
 */
final class TreeBroadcast extends BaseAlgorithm {
    TreeBroadcast() {
        super("tree", CollectiveKind.BROADCAST);
    }

    @Override
    void build(ScheduleBuilder b, CollectiveSpec spec, int rank) {
        RootedPlans.broadcast(b, spec, Trees.binary(spec.worldSize(), spec.root(), rank));
    }
}
