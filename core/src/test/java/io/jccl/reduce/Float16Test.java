package io.jccl.reduce;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.SplittableRandom;

import static io.jccl.reduce.SmallFloatReference.BF_EXP;
import static io.jccl.reduce.SmallFloatReference.BF_MANT;
import static io.jccl.reduce.SmallFloatReference.HALF_EXP;
import static io.jccl.reduce.SmallFloatReference.HALF_MANT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

@Timeout(30)
class Float16Test {

    @Test
    void shouldDecodeAndRoundTripWhenGivenEveryHalfPattern() {
        for (int bits = 0; bits < 65536; bits++) {
            double expected = SmallFloatReference.decode(bits, HALF_EXP, HALF_MANT);
            float actual = Float16.toFloat((short) bits);
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(actual), () -> "NaN pattern decoded to a number");
                int back = Float16.fromFloat(actual) & 0xffff;
                assertTrue(SmallFloatReference.isQuietHalfNaN(back), "NaN must come back as a quiet NaN");
                assertEquals(bits & 0x8000, back & 0x8000, "NaN sign");
            } else {
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                        "decode of 0x" + Integer.toHexString(bits));
                assertEquals(bits, Float16.fromFloat(actual) & 0xffff, "round trip of 0x" + Integer.toHexString(bits));
            }
        }
    }

    @Test
    void shouldRoundTiesToEvenWhenValueIsHalfwayBetweenHalves() {
        for (int bits = 0; bits < 0x7c00; bits++) {
            double lo = SmallFloatReference.decode(bits, HALF_EXP, HALF_MANT);
            double hi = bits + 1 == 0x7c00 ? 65536.0 : SmallFloatReference.decode(bits + 1, HALF_EXP, HALF_MANT);
            float mid = (float) ((lo + hi) / 2);
            assertEquals((lo + hi) / 2, mid, 0.0, "midpoint must be exact in float");
            int even = (bits & 1) == 0 ? bits : bits + 1;
            assertEquals(even, Float16.fromFloat(mid) & 0xffff, "tie above 0x" + Integer.toHexString(bits));
            assertEquals(even | 0x8000, Float16.fromFloat(-mid) & 0xffff, "negative tie");
            assertEquals(bits, Float16.fromFloat(Math.nextDown(mid)) & 0xffff, "just below the tie");
            int above = bits + 1;
            assertEquals(above, Float16.fromFloat(Math.nextUp(mid)) & 0xffff, "just above the tie");
        }
    }

    @Test
    void shouldMatchReferenceRoundingWhenGivenRandomFloats() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 2_000_000; i++) {
            float v = i % 2 == 0 ? Float.intBitsToFloat(random.nextInt())
                    : (float) (random.nextDouble(-1, 1) * Math.pow(2, random.nextInt(-30, 18)));
            checkHalf(v);
        }
        float[] edges = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 65504f, 65519.99f, 65520f,
            -65520f, 1e-8f, 2.98e-8f, 2.9802322e-8f, 2.9802326e-8f, 5.9604645e-8f, 6.1035156e-5f, 6.1e-5f,
            Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        for (float v : edges) {
            checkHalf(v);
        }
    }

    private static void checkHalf(float v) {
        int actual = Float16.fromFloat(v) & 0xffff;
        if (Float.isNaN(v)) {
            assertTrue(SmallFloatReference.isQuietHalfNaN(actual), "NaN must give a quiet NaN");
            return;
        }
        int expected = SmallFloatReference.encode(v, HALF_EXP, HALF_MANT);
        if (expected != actual) {
            fail("fromFloat(" + v + ") = 0x" + Integer.toHexString(actual) + ", expected 0x"
                    + Integer.toHexString(expected));
        }
    }

    @Test
    void shouldDecodeRoundTripAndRoundWhenGivenBFloat16() {
        for (int bits = 0; bits < 65536; bits++) {
            double expected = SmallFloatReference.decode(bits, BF_EXP, BF_MANT);
            float actual = BFloat16.toFloat((short) bits);
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(actual));
                int back = BFloat16.fromFloat(actual) & 0xffff;
                assertTrue(SmallFloatReference.isQuietBFloatNaN(back), "NaN must come back quiet");
                assertEquals(bits & 0x8000, back & 0x8000, "NaN sign");
            } else {
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual));
                assertEquals(bits, BFloat16.fromFloat(actual) & 0xffff, "round trip");
            }
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 2_000_000; i++) {
            float v = Float.intBitsToFloat(i < 65536 ? (i << 16) | 0x8000 : random.nextInt());
            int actual = BFloat16.fromFloat(v) & 0xffff;
            if (Float.isNaN(v)) {
                assertTrue(SmallFloatReference.isQuietBFloatNaN(actual));
            } else {
                assertEquals(SmallFloatReference.encode(v, BF_EXP, BF_MANT), actual, "bfloat16 of " + v);
            }
        }
    }
}
