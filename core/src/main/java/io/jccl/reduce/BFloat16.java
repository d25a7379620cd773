package io.jccl.reduce;

/**
 * bfloat16 conversions: the upper 16 bits of an IEEE binary32 (8-bit exponent, 7-bit significand).
 * Stateless and thread-safe.
 */
public final class BFloat16 {
    private BFloat16() {
    }

    /** Exact value of the bfloat16 {@code bits}. */
    public static float toFloat(short bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    /**
     * Nearest bfloat16 to {@code value}, ties to even (subnormals included, overflow to infinity);
     * NaN gives a quiet NaN with the sign and the top payload bits kept.
     */
    public static short fromFloat(float value) {
        int raw = Float.floatToRawIntBits(value);
        if ((raw & 0x7fff_ffff) > 0x7f80_0000) {
            return (short) ((raw >>> 16) | 0x0040);
        }
        return (short) ((raw + 0x7fff + ((raw >>> 16) & 1)) >>> 16);
    }
}
