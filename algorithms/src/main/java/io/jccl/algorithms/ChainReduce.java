package io.jccl.algorithms;

import io.jccl.algorithms.pattern.Trees;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.CollectiveSpec;
import io.jccl.schedule.ScheduleBuilder;

/**
 * Pipelined chain reduce: partial sums flow {@code root-1 -> root-2 -> ... -> root+1 -> root},
 * slice by slice; each rank adds its INPUT as a slice passes.
 *
 * <p>Steps per rank: one per slice; cost {@code (n-2+S)·α + (1+(n-2)/S)·c·β} for {@code S}
 * slices. Non-root ranks keep partial sums in scratch, never in OUTPUT.
 * <pre>
 *   root ◄─Σ─ r+1 ◄─Σ─ r+2 ◄─ ... ◄─ root-1
 * </pre>
 */
final class ChainReduce extends BaseAlgorithm {
    ChainReduce() {
        super("chain", CollectiveKind.REDUCE);
    }

    @Override
    void build(ScheduleBuilder b, CollectiveSpec spec, int rank) {
        RootedPlans.reduce(b, spec, Trees.chain(spec.worldSize(), spec.root(), rank));
    }
}
