package io.jccl.testkit;

import io.jccl.DataType;
import io.jccl.ReduceOp;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Verifiable test data and an independent, sequential reference reduction. Inputs are small
 * integers (-2..2, or 0..4 for uint8), so every float sum, product, min and max is exact in any
 * order and results can be compared bit for bit. AVG is the exact sum divided once in the
 * accumulation type. The 16-bit float encoders here deliberately share no code with the library:
 * they pick the nearest representable value from a table (ties to even).
 */
public final class ReferenceData {
    private static final float[] HALF_VALUES = new float[0x7C00 >> 0];
    private static final short[] HALF_BITS = new short[0x7C00];

    static {
        // All finite non-negative halves, in increasing order of bits == increasing value.
        for (int bits = 0; bits < 0x7C00; bits++) {
            int exp = bits >> 10;
            int mant = bits & 0x3FF;
            double v = exp == 0 ? mant * Math.pow(2, -24) : (1 + mant / 1024.0) * Math.pow(2, exp - 15);
            HALF_VALUES[bits] = (float) v;
            HALF_BITS[bits] = (short) bits;
        }
    }

    private ReferenceData() {
    }

    /** Input element {@code i} of {@code rank}: a small integer, not periodic in {@code i}. */
    public static long value(DataType type, int rank, long i) {
        long h = (i + 1) * 0x9E3779B97F4A7C15L ^ (rank + 1) * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        int v = (int) Long.remainderUnsigned(h, 5);
        return type == DataType.UINT8 ? v : v - 2;
    }

    /** Fills {@code count} elements of rank {@code rank}'s input, element {@code first} onwards, at byte {@code at}. */
    public static void fill(ByteBuffer b, int at, DataType type, int rank, long first, long count) {
        int es = type.sizeBytes();
        for (long i = 0; i < count; i++) {
            put(b, at + (int) (i * es), type, value(type, rank, first + i));
        }
    }

    /** Stores the exact value {@code v} (or its rounding, for AVG results) as {@code type}. */
    public static void put(ByteBuffer b, int at, DataType type, double v) {
        switch (type) {
            case INT8:
            case UINT8:
                b.put(at, (byte) (long) v);
                break;
            case INT32:
                b.putInt(at, (int) (long) v);
                break;
            case INT64:
                b.putLong(at, (long) v);
                break;
            case FLOAT16:
                b.putShort(at, toHalf((float) v));
                break;
            case BFLOAT16:
                b.putShort(at, toBfloat16((float) v));
                break;
            case FLOAT32:
                b.putFloat(at, (float) v);
                break;
            case FLOAT64:
                b.putDouble(at, v);
                break;
            default:
                throw new AssertionError(type);
        }
    }

    /**
     * The reduction over ranks {@code 0..worldSize-1} of element {@code i}, as the value to store.
     * Integer results wrap like the type; uint8 compares unsigned.
     */
    public static double reduce(DataType type, ReduceOp op, int worldSize, long i, long blockOffset) {
        long acc = 0;
        double dacc;
        boolean first = true;
        for (int r = 0; r < worldSize; r++) {
            long x = value(type, r, blockOffset + i);
            if (first) {
                acc = x;
                first = false;
                continue;
            }
            switch (op) {
                case SUM:
                case AVG:
                    acc += x;
                    break;
                case PROD:
                    acc *= x;
                    break;
                case MIN:
                    acc = Math.min(acc, x);
                    break;
                case MAX:
                    acc = Math.max(acc, x);
                    break;
                case BAND:
                    acc &= x;
                    break;
                case BOR:
                    acc |= x;
                    break;
                case BXOR:
                    acc ^= x;
                    break;
                default:
                    throw new AssertionError(op);
            }
        }
        if (op == ReduceOp.PROD && type.isFloatingPoint()) {
            // IEEE keeps the sign of a zero product (-2 * 0 = -0.0); integers have no such zero.
            double p = 1;
            for (int r = 0; r < worldSize; r++) {
                p *= value(type, r, blockOffset + i);
            }
            return p;
        }
        acc = wrap(type, acc);
        if (op != ReduceOp.AVG) {
            return acc;
        }
        switch (type) {
            case FLOAT64:
                dacc = (double) acc / worldSize;
                return dacc;
            case FLOAT32:
            case FLOAT16:
            case BFLOAT16:
                return (float) acc / (float) worldSize;
            default:
                return wrap(type, acc / worldSize);
        }
    }

    private static long wrap(DataType type, long v) {
        switch (type) {
            case INT8:
                return (byte) v;
            case UINT8:
                return v & 0xFF;
            case INT32:
                return (int) v;
            default:
                return v;
        }
    }

    /** Nearest binary16 to {@code f} (ties to even), found by search in the table of all halves. */
    public static short toHalf(float f) {
        if (Float.isNaN(f)) {
            return (short) 0x7E00;
        }
        int sign = (Float.floatToRawIntBits(f) >>> 16) & 0x8000;
        float a = Math.abs(f);
        if (a >= 65520f) {
            return (short) (sign | 0x7C00);
        }
        int idx = Arrays.binarySearch(HALF_VALUES, a);
        int bits;
        if (idx >= 0) {
            bits = idx;
        } else {
            int hi = -idx - 1;
            int lo = hi - 1;
            if (hi >= HALF_VALUES.length) {
                bits = 0x7BFF;
            } else {
                double dLo = (double) a - HALF_VALUES[lo];
                double dHi = (double) HALF_VALUES[hi] - a;
                bits = dLo < dHi ? lo : dHi < dLo ? hi : ((lo & 1) == 0 ? lo : hi);
            }
        }
        return (short) (sign | HALF_BITS[bits]);
    }

    /** Nearest bfloat16 to {@code f} (ties to even). */
    public static short toBfloat16(float f) {
        if (Float.isNaN(f)) {
            return (short) 0x7FC0;
        }
        int bits = Float.floatToRawIntBits(f);
        int lo = bits >>> 16;
        float down = Float.intBitsToFloat(lo << 16);
        float up = Float.intBitsToFloat((lo + 1) << 16);
        double dDown = Math.abs((double) f - down);
        double dUp = Math.abs((double) up - f);
        int pick = dDown < dUp ? lo : dUp < dDown ? lo + 1 : ((lo & 1) == 0 ? lo : lo + 1);
        return (short) pick;
    }
}
