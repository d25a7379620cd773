package io.jccl.reduce;

import io.jccl.DataType;
import io.jccl.ReduceOp;

import java.nio.ByteBuffer;

/**
 * Reduction kernels on raw memory. All buffers hold elements in native byte order and are
 * addressed with absolute byte offsets; positions and limits are neither read nor changed.
 * Placeholder signature, implemented in the kernels change.
 */
public final class Reductions {
    private Reductions() {
    }

    /**
     * {@code dst[i] = a[i] ⊕ b[i]} for {@code i < count}; then, when {@code divisor > 1}, divides each
     * result by {@code divisor} (AVG's post-op, in the accumulation type). For {@link ReduceOp#AVG}
     * the combining step is a sum. {@code dst} may be the same memory as {@code a} or {@code b} at the
     * same offset, or disjoint from both.
     */
    public static void reduce(DataType type, ReduceOp op, ByteBuffer dst, int dstOffsetBytes, ByteBuffer a,
                              int aOffsetBytes, ByteBuffer b, int bOffsetBytes, int count, int divisor) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** {@code buf[i] = buf[i] / divisor} in the accumulation type, for {@code i < count}. */
    public static void divide(DataType type, ByteBuffer buf, int offsetBytes, int count, int divisor) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
