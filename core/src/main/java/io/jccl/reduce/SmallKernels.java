package io.jccl.reduce;

import io.jccl.DataType;
import io.jccl.ReduceOp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Scalar loops for a few elements of the common types, on the buffers as they are: for a short
 * message, setting up typed views and chunk arrays costs more than the arithmetic, and a transport
 * buffer seen once would only churn the view cache. Same semantics as the chunked kernels.
 */
final class SmallKernels {
    /** Counts up to this go through here. */
    static final int MAX_COUNT = 32;
    private static final boolean LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private SmallKernels() {
    }

    /**
     * Reduces {@code count <= MAX_COUNT} elements; false when this path does not apply (a type it
     * does not handle, a read-only destination, or a range beyond a buffer's limit, since absolute
     * get/put check the limit where the kernels promise to check only the capacity).
     */
    static boolean reduce(DataType type, ReduceOp op, ByteBuffer dst, int d, ByteBuffer a, int ao, ByteBuffer b,
                          int bo, int count, int divisor) {
        int span = count * type.sizeBytes();
        if (dst.isReadOnly() || d + span > dst.limit() || ao + span > a.limit() || bo + span > b.limit()) {
            return false;
        }
        switch (type) {
            case FLOAT32:
                for (int i = 0; i < count; i++) {
                    int k = 4 * i;
                    float r = float32(op, getFloat(a, ao + k), getFloat(b, bo + k));
                    putInt(dst, d + k, Float.floatToRawIntBits(divisor > 1 ? r / divisor : r));
                }
                return true;
            case FLOAT64:
                for (int i = 0; i < count; i++) {
                    int k = 8 * i;
                    double r = float64(op, getDouble(a, ao + k), getDouble(b, bo + k));
                    putLong(dst, d + k, Double.doubleToRawLongBits(divisor > 1 ? r / divisor : r));
                }
                return true;
            case INT32:
                for (int i = 0; i < count; i++) {
                    int k = 4 * i;
                    // Wrapping sums and products, min, max and bitwise ops keep their low 32 bits in 64.
                    int r = (int) int64(op, getInt(a, ao + k), getInt(b, bo + k));
                    putInt(dst, d + k, divisor > 1 ? r / divisor : r);
                }
                return true;
            case INT64:
                for (int i = 0; i < count; i++) {
                    int k = 8 * i;
                    long r = int64(op, getLong(a, ao + k), getLong(b, bo + k));
                    putLong(dst, d + k, divisor > 1 ? r / divisor : r);
                }
                return true;
            default:
                return false;
        }
    }

    private static float float32(ReduceOp op, float x, float y) {
        switch (op) {
            case PROD:
                return x * y;
            case MIN:
                return Math.min(x, y);
            case MAX:
                return Math.max(x, y);
            default:
                return x + y; // SUM, AVG
        }
    }

    private static double float64(ReduceOp op, double x, double y) {
        switch (op) {
            case PROD:
                return x * y;
            case MIN:
                return Math.min(x, y);
            case MAX:
                return Math.max(x, y);
            default:
                return x + y;
        }
    }

    private static long int64(ReduceOp op, long x, long y) {
        switch (op) {
            case PROD:
                return x * y;
            case MIN:
                return Math.min(x, y);
            case MAX:
                return Math.max(x, y);
            case BAND:
                return x & y;
            case BOR:
                return x | y;
            case BXOR:
                return x ^ y;
            default:
                return x + y;
        }
    }

    // Native-order access whatever the buffer's order() says (the kernels never read or set it for
    // their meaning, only to undo it here).

    private static int getInt(ByteBuffer buf, int at) {
        int v = buf.getInt(at);
        return (buf.order() == ByteOrder.LITTLE_ENDIAN) == LITTLE ? v : Integer.reverseBytes(v);
    }

    private static long getLong(ByteBuffer buf, int at) {
        long v = buf.getLong(at);
        return (buf.order() == ByteOrder.LITTLE_ENDIAN) == LITTLE ? v : Long.reverseBytes(v);
    }

    private static float getFloat(ByteBuffer buf, int at) {
        return Float.intBitsToFloat(getInt(buf, at));
    }

    private static double getDouble(ByteBuffer buf, int at) {
        return Double.longBitsToDouble(getLong(buf, at));
    }

    private static void putInt(ByteBuffer buf, int at, int v) {
        buf.putInt(at, (buf.order() == ByteOrder.LITTLE_ENDIAN) == LITTLE ? v : Integer.reverseBytes(v));
    }

    private static void putLong(ByteBuffer buf, int at, long v) {
        buf.putLong(at, (buf.order() == ByteOrder.LITTLE_ENDIAN) == LITTLE ? v : Long.reverseBytes(v));
    }
}
