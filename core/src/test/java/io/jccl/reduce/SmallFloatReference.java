package io.jccl.reduce;

/**
 * Test-only reference for binary16/bfloat16 built from first principles (double arithmetic,
 * {@link Math#rint} for ties-to-even), sharing no code with {@link Float16}/{@link BFloat16}.
 */
final class SmallFloatReference {
    static final int HALF_EXP = 5;
    static final int HALF_MANT = 10;
    static final int BF_EXP = 8;
    static final int BF_MANT = 7;

    private SmallFloatReference() {
    }

    /** Value of a small-float bit pattern with the given field widths. */
    static double decode(int bits, int expBits, int mantBits) {
        int expMask = (1 << expBits) - 1;
        int bias = (1 << (expBits - 1)) - 1;
        int e = (bits >>> mantBits) & expMask;
        int m = bits & ((1 << mantBits) - 1);
        boolean negative = ((bits >>> (expBits + mantBits)) & 1) == 1;
        double magnitude;
        if (e == expMask) {
            magnitude = m == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (e == 0) {
            magnitude = m * Math.pow(2, 1 - bias - mantBits);
        } else {
            magnitude = (1 + m / Math.pow(2, mantBits)) * Math.pow(2, e - bias);
        }
        return negative ? -magnitude : magnitude;
    }

    /** Nearest representable pattern, ties to even; -1 for NaN input (callers check NaN separately). */
    static int encode(double v, int expBits, int mantBits) {
        if (Double.isNaN(v)) {
            return -1;
        }
        int bias = (1 << (expBits - 1)) - 1;
        int emin = 1 - bias;
        int sign = (Double.doubleToRawLongBits(v) < 0) ? 1 << (expBits + mantBits) : 0;
        int infinity = sign | (((1 << expBits) - 1) << mantBits);
        double x = Math.abs(v);
        if (Double.isInfinite(x)) {
            return infinity;
        }
        if (x == 0) {
            return sign;
        }
        int e = Math.max(Math.getExponent(x), emin);
        double r = Math.rint(Math.scalb(x, mantBits - e));
        if (r >= Math.scalb(1.0, mantBits + 1)) {
            e++;
            r /= 2;
        }
        if (e > bias) {
            return infinity;
        }
        int implicit = 1 << mantBits;
        if (r < implicit) {
            return sign | (int) r;
        }
        return sign | ((e + bias) << mantBits) | ((int) r - implicit);
    }

    static boolean isQuietHalfNaN(int bits) {
        return (bits & 0x7c00) == 0x7c00 && (bits & 0x0200) != 0;
    }

    static boolean isQuietBFloatNaN(int bits) {
        return (bits & 0x7f80) == 0x7f80 && (bits & 0x0040) != 0;
    }
}
