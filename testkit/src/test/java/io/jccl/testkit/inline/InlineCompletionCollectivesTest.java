package io.jccl.testkit.inline;

import io.jccl.DataType;
import io.jccl.ReduceOp;
import io.jccl.schedule.CollectiveKind;
import io.jccl.testkit.CollectiveConformanceSuite;

/**
 * The collective matrix over {@code loopback-inline}, where every send completes from inside its
 * post: the engine must not lose or double-count such completions. Fewer world sizes than the
 * loopback run, since the steps are the same.
 */
class InlineCompletionCollectivesTest extends CollectiveConformanceSuite {
    @Override
    protected String transportName() {
        return InlineCompletionTransportProvider.NAME;
    }

    @Override
    protected int[] worldSizes() {
        return System.getProperty("jcclTest.worlds") != null ? super.worldSizes() : new int[] {2, 3, 5};
    }

    /** The large count only for float32 (sum where the collective reduces): many fragments, few cases. */
    @Override
    protected boolean runLarge(CollectiveKind kind, DataType type, ReduceOp op, int worldSize, boolean inPlace) {
        return type == DataType.FLOAT32 && (op == null || op == ReduceOp.SUM);
    }
}
