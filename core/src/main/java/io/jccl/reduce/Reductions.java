package io.jccl.reduce;

import io.jccl.DataType;
import io.jccl.ReduceOp;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/**
 * Reduction kernels on raw memory. All buffers hold elements in native byte order and are
 * addressed with absolute byte offsets; positions, limits and the buffers' {@code order()} are
 * neither read nor changed (bounds are checked against the capacity). Buffers may be direct or heap.
 *
 * <p>Semantics: integer SUM/PROD wrap (two's complement; UINT8 compares and divides unsigned);
 * integer division truncates toward zero; FLOAT32/FLOAT64 use IEEE arithmetic in the type, with
 * MIN/MAX as {@link Math#min(float, float)}/{@link Math#max(float, float)} (NaN wins, -0.0 &lt; 0.0);
 * FLOAT16/BFLOAT16 are widened to float, combined and divided in float and rounded to nearest even
 * once when stored ({@link Float16}, {@link BFloat16}). Bitwise ops are refused for float types.
 *
 * <p>Two implementations give identical results: vectorized C loops ({@code NativeKernels}, bundled for
 * linux-x86_64 and loaded through JNI; see {@link #kernels()} and {@code jccl.reduce.kernels}) for
 * direct buffers of the 16/32/64-bit types with SUM/PROD/MIN/MAX/AVG, and Java loops for everything
 * else and wherever the library does not load.
 *
 * <p>Thread-safe and allocation-free in the steady state: typed views of the buffers and the chunk
 * arrays the loops run on are kept per thread (views weakly; see {@code Workspace}). Operands may
 * start at any byte offset, independently of each other; speed does not depend on their relative
 * element index. Concurrent calls must not write memory another call reads.
 */
public final class Reductions {
    private Reductions() {
    }

    /**
     * {@code dst[i] = a[i] ⊕ b[i]} for {@code i < count}; then, when {@code divisor > 1}, divides each
     * result by {@code divisor} (AVG's post-op, in the accumulation type). For {@link ReduceOp#AVG}
     * the combining step is a sum. {@code dst} may be the same memory as {@code a} or {@code b} at the
     * same offset, or disjoint from both.
     *
     * @throws IllegalArgumentException if {@code op} is not defined for {@code type} or {@code count < 0}
     * @throws IndexOutOfBoundsException if a range falls outside a buffer's capacity
     */
    public static void reduce(DataType type, ReduceOp op, ByteBuffer dst, int dstOffsetBytes, ByteBuffer a,
                              int aOffsetBytes, ByteBuffer b, int bOffsetBytes, int count, int divisor) {
        reduce(type, op, dst, dstOffsetBytes, a, aOffsetBytes, b, bOffsetBytes, count, divisor, ViewStores.ENABLED,
                NativeKernels.ENABLED);
    }

    /** The kernels in use in this JVM: "native (...)" or "java (...)", with the reason for Java. */
    public static String kernels() {
        if (NativeKernels.ENABLED) {
            return "native (" + NativeKernels.platform() + ", " + NativeKernels.isa() + ")";
        }
        return "java (" + NativeKernels.UNAVAILABLE.getMessage() + ")";
    }

    /** This JVM's {@code jccl.reduce.kernels} setting: auto, native or java ("invalid" if it did not parse). */
    public static String kernelMode() {
        return NativeKernels.MODE;
    }

    /**
     * Throws if {@code jccl.reduce.kernels} is invalid, or {@code native} while the library cannot load;
     * every reduction checks this, and a communicator checks it when it is built.
     */
    public static void checkKernelConfiguration() {
        if (!NativeKernels.ENABLED) {
            NativeKernels.checkConfiguration();
        }
    }

    /**
     * {@link #reduce} with the kernels chosen by the caller (tests run every path): Java store path
     * {@code viewStores}, and the native kernels where they cover the call when {@code nativeKernels}.
     */
    static void reduce(DataType type, ReduceOp op, ByteBuffer dst, int dstOffsetBytes, ByteBuffer a,
                       int aOffsetBytes, ByteBuffer b, int bOffsetBytes, int count, int divisor, boolean viewStores,
                       boolean nativeKernels) {
        checkKernelConfiguration();
        checkSupported(type, op);
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        int size = type.sizeBytes();
        checkRange("dst", dst, dstOffsetBytes, count, size);
        checkRange("a", a, aOffsetBytes, count, size);
        checkRange("b", b, bOffsetBytes, count, size);
        if (count == 0) {
            return;
        }
        if (count <= SmallKernels.MAX_COUNT
                && SmallKernels.reduce(type, op, dst, dstOffsetBytes, a, aOffsetBytes, b, bOffsetBytes, count, divisor)) {
            return;
        }
        if (nativeKernels && dst.isDirect() && a.isDirect() && b.isDirect() && !dst.isReadOnly()
                && NativeKernels.covers(type, op)) {
            NativeKernels.reduce(type, op, dst, dstOffsetBytes, a, aOffsetBytes, b, bOffsetBytes, count, divisor);
            return;
        }
        Workspace w = Workspace.current();
        if (op == ReduceOp.BAND || op == ReduceOp.BOR || op == ReduceOp.BXOR) {
            ByteKernels.bitwise(op, w, bytes(w, dst), dstOffsetBytes, bytes(w, a), aOffsetBytes, bytes(w, b),
                    bOffsetBytes, count * size);
            if (divisor > 1) {
                divideChecked(type, dst, dstOffsetBytes, count, divisor);
            }
            return;
        }
        switch (type) {
            case INT8:
            case UINT8:
                ByteKernels.int8(type == DataType.UINT8, op, w, bytes(w, dst), dstOffsetBytes, bytes(w, a),
                        aOffsetBytes, bytes(w, b), bOffsetBytes, count, divisor);
                break;
            case INT32:
                IntKernels.int32(op, w, viewStores,
                        (IntBuffer) w.view(dst, Workspace.INT, dstOffsetBytes, 4), dstOffsetBytes >>> 2,
                        (IntBuffer) w.view(a, Workspace.INT, aOffsetBytes, 4), aOffsetBytes >>> 2,
                        (IntBuffer) w.view(b, Workspace.INT, bOffsetBytes, 4), bOffsetBytes >>> 2,
                        count, divisor);
                break;
            case INT64:
                IntKernels.int64(op, w, viewStores,
                        (LongBuffer) w.view(dst, Workspace.LONG, dstOffsetBytes, 8), dstOffsetBytes >>> 3,
                        (LongBuffer) w.view(a, Workspace.LONG, aOffsetBytes, 8), aOffsetBytes >>> 3,
                        (LongBuffer) w.view(b, Workspace.LONG, bOffsetBytes, 8), bOffsetBytes >>> 3,
                        count, divisor);
                break;
            case FLOAT16:
            case BFLOAT16:
                HalfKernels.reduce(type == DataType.BFLOAT16, op, w,
                        (ShortBuffer) w.view(dst, Workspace.SHORT, dstOffsetBytes, 2), dstOffsetBytes >>> 1,
                        (ShortBuffer) w.view(a, Workspace.SHORT, aOffsetBytes, 2), aOffsetBytes >>> 1,
                        (ShortBuffer) w.view(b, Workspace.SHORT, bOffsetBytes, 2), bOffsetBytes >>> 1,
                        count, divisor);
                break;
            case FLOAT32:
                FloatKernels.float32(op, w, viewStores,
                        (FloatBuffer) w.view(dst, Workspace.FLOAT, dstOffsetBytes, 4), dstOffsetBytes >>> 2,
                        (FloatBuffer) w.view(a, Workspace.FLOAT, aOffsetBytes, 4), aOffsetBytes >>> 2,
                        (FloatBuffer) w.view(b, Workspace.FLOAT, bOffsetBytes, 4), bOffsetBytes >>> 2,
                        count, divisor);
                break;
            case FLOAT64:
                FloatKernels.float64(op, w, viewStores,
                        (DoubleBuffer) w.view(dst, Workspace.DOUBLE, dstOffsetBytes, 8), dstOffsetBytes >>> 3,
                        (DoubleBuffer) w.view(a, Workspace.DOUBLE, aOffsetBytes, 8), aOffsetBytes >>> 3,
                        (DoubleBuffer) w.view(b, Workspace.DOUBLE, bOffsetBytes, 8), bOffsetBytes >>> 3,
                        count, divisor);
                break;
            default:
                throw new AssertionError(type);
        }
    }

    /**
     * {@code buf[i] = buf[i] / divisor} in the accumulation type, for {@code i < count}: integer
     * division truncating toward zero (unsigned for UINT8), float division for the float types (16-bit
     * types rounded to nearest even when stored). A divisor of 1 leaves the data unchanged.
     *
     * @throws IllegalArgumentException if {@code divisor < 1} or {@code count < 0}
     * @throws IndexOutOfBoundsException if the range falls outside the buffer's capacity
     */
    public static void divide(DataType type, ByteBuffer buf, int offsetBytes, int count, int divisor) {
        if (divisor < 1) {
            throw new IllegalArgumentException("divisor must be >= 1, got " + divisor);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        checkRange("buf", buf, offsetBytes, count, type.sizeBytes());
        if (count == 0 || divisor == 1) {
            return;
        }
        divide(type, buf, offsetBytes, count, divisor, NativeKernels.ENABLED);
    }

    /** {@link #divide} after its checks, with the kernels chosen by the caller (see {@link #reduce}). */
    static void divide(DataType type, ByteBuffer buf, int offsetBytes, int count, int divisor, boolean nativeKernels) {
        checkKernelConfiguration();
        if (nativeKernels && buf.isDirect() && !buf.isReadOnly() && NativeKernels.covers(type, ReduceOp.SUM)) {
            NativeKernels.divide(type, buf, offsetBytes, count, divisor);
            return;
        }
        divideChecked(type, buf, offsetBytes, count, divisor);
    }

    private static void divideChecked(DataType type, ByteBuffer buf, int offsetBytes, int count, int divisor) {
        Workspace w = Workspace.current();
        switch (type) {
            case INT8:
            case UINT8:
                ByteKernels.divide(type == DataType.UINT8, w, bytes(w, buf), offsetBytes, count, divisor);
                break;
            case INT32:
                IntKernels.divide32(w, (IntBuffer) w.view(buf, Workspace.INT, offsetBytes, 4), offsetBytes >>> 2,
                        count, divisor);
                break;
            case INT64:
                IntKernels.divide64(w, (LongBuffer) w.view(buf, Workspace.LONG, offsetBytes, 8), offsetBytes >>> 3,
                        count, divisor);
                break;
            case FLOAT16:
            case BFLOAT16:
                HalfKernels.divide(type == DataType.BFLOAT16, w,
                        (ShortBuffer) w.view(buf, Workspace.SHORT, offsetBytes, 2), offsetBytes >>> 1, count,
                        divisor);
                break;
            case FLOAT32:
                FloatKernels.divide32(w, (FloatBuffer) w.view(buf, Workspace.FLOAT, offsetBytes, 4),
                        offsetBytes >>> 2, count, divisor);
                break;
            case FLOAT64:
                FloatKernels.divide64(w, (DoubleBuffer) w.view(buf, Workspace.DOUBLE, offsetBytes, 8),
                        offsetBytes >>> 3, count, divisor);
                break;
            default:
                throw new AssertionError(type);
        }
    }

    /** Whole-capacity byte view, so that byte-wise access ignores the caller's limit like the typed views. */
    private static ByteBuffer bytes(Workspace w, ByteBuffer buf) {
        return (ByteBuffer) w.view(buf, Workspace.BYTE, 0, 1);
    }

    private static void checkSupported(DataType type, ReduceOp op) {
        if (!op.supports(type)) {
            throw new IllegalArgumentException(op + " is not defined for " + type.shortName()
                    + "; use an integer type or SUM/PROD/MIN/MAX/AVG");
        }
    }

    private static void checkRange(String name, ByteBuffer buf, int offsetBytes, int count, int sizeBytes) {
        long end = (long) offsetBytes + (long) count * sizeBytes;
        if (offsetBytes < 0 || end > buf.capacity()) {
            throw new IndexOutOfBoundsException(name + ": bytes [" + offsetBytes + ", " + end
                    + ") outside capacity " + buf.capacity());
        }
    }
}
