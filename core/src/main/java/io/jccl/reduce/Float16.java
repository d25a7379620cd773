package io.jccl.reduce;

/**
 * IEEE 754 binary16 ("half", fp16) conversions. {@code Float.float16ToFloat} only exists from JDK 20;
 * this works on the JDK 17 baseline. Stateless and thread-safe.
 */
public final class Float16 {
    /** All 65536 decodings; a lookup beats the arithmetic decode in the kernels and avoids denormal stalls. */
    private static final float[] TO_FLOAT = new float[1 << 16];

    static {
        for (int bits = 0; bits < TO_FLOAT.length; bits++) {
            TO_FLOAT[bits] = decode(bits);
        }
    }

    private Float16() {
    }

    /** Exact value of the half {@code bits}; NaN payloads are kept (shifted into the float's significand). */
    public static float toFloat(short bits) {
        return TO_FLOAT[bits & 0xffff];
    }

    /**
     * Nearest half to {@code value}, ties to even; overflow gives infinity, underflow gives (signed)
     * zero or a subnormal, and NaN gives a quiet NaN with the sign and the top payload bits kept.
     */
    public static short fromFloat(float value) {
        int raw = Float.floatToRawIntBits(value);
        int sign = (raw >>> 16) & 0x8000;
        int abs = raw & 0x7fff_ffff;
        int half;
        if (abs >= 0x4780_0000) {
            // |value| >= 65536 (or inf/NaN). Smaller values that round up to infinity take the normal path.
            half = abs > 0x7f80_0000 ? 0x7e00 | ((abs >>> 13) & 0x3ff) : 0x7c00;
        } else if (abs < 0x3880_0000) {
            // Below 2^-14 the result is subnormal or zero: adding 0.5f lines the 10 kept bits up at the
            // bottom of the float's significand, and the FPU's own round-to-nearest-even does the rounding.
            half = Float.floatToRawIntBits(Float.intBitsToFloat(abs) + 0.5f) - 0x3f00_0000;
        } else {
            int odd = (abs >>> 13) & 1;
            // Rebias the exponent and add just under half an ulp (plus one if odd): ties go to even,
            // and a carry out of the significand correctly bumps the exponent, up to infinity.
            half = (abs + ((15 - 127) << 23) + 0xfff + odd) >>> 13;
        }
        return (short) (half | sign);
    }

    private static float decode(int bits) {
        int magnitude = bits & 0x7fff;
        float value;
        if (magnitude >= 0x7c00) {
            value = Float.intBitsToFloat(0x7f80_0000 | ((magnitude & 0x3ff) << 13));
        } else {
            // Exponent rebias by scaling: handles zero, subnormals and normals alike.
            value = Float.intBitsToFloat(magnitude << 13) * 0x1p112f;
        }
        return (bits & 0x8000) != 0 ? Float.intBitsToFloat(Float.floatToRawIntBits(value) | 0x8000_0000) : value;
    }
}
