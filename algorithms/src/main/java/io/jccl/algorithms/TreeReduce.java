package io.jccl.algorithms;

import io.jccl.algorithms.pattern.Trees;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.CollectiveSpec;
import io.jccl.schedule.ScheduleBuilder;

/**
 * Pipelined binary-tree reduce towards {@code root} (heap order on {@code rank - root}).
 *
 * <p>Depth {@code d = floor(log2 n)}; cost {@code (d-1+S)·2α + 2·c·β} for {@code S} slices.
 * Interior non-root ranks keep partial sums in scratch, never in OUTPUT.
 * <pre>
 *   v3  v4  v5  v6
 *     \/      \/
 *     v1      v2       acc = in ⊕ left ⊕ right
 *        \   /
 *         root         final
 * </pre>
 */
final class TreeReduce extends BaseAlgorithm {
    TreeReduce() {
        super("tree", CollectiveKind.REDUCE);
    }

    @Override
    void build(ScheduleBuilder b, CollectiveSpec spec, int rank) {
        RootedPlans.reduce(b, spec, Trees.binary(spec.worldSize(), spec.root(), rank));
    }
}
