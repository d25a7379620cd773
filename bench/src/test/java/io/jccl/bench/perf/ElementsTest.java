package io.jccl.bench.perf;

import io.jccl.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class ElementsTest {

    /** Reference decoding of an IEEE binary16 value straight from its definition. */
    private static double referenceHalf(int bits) {
        int sign = (bits >> 15) & 1;
        int exponent = (bits >> 10) & 0x1F;
        int fraction = bits & 0x3FF;
        double magnitude;
        if (exponent == 0x1F) {
            magnitude = fraction == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (exponent == 0) {
            magnitude = fraction * Math.pow(2, -24);
        } else {
            magnitude = (1 + fraction / 1024.0) * Math.pow(2, exponent - 15);
        }
        return sign == 1 ? -magnitude : magnitude;
    }

    @Test
    void shouldDecodeEveryHalfWhenComparedWithDefinition() {
        for (int bits = 0; bits < 0x10000; bits++) {
            double expected = referenceHalf(bits);
            float got = Elements.halfToFloat((short) bits);
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(got), Integer.toHexString(bits));
            } else {
                assertEquals(expected, got, 0.0, Integer.toHexString(bits));
            }
        }
    }

    @Test
    void shouldRoundTripEveryHalfWhenEncodingItsValue() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float value = Elements.halfToFloat((short) bits);
            if (!Float.isNaN(value)) {
                assertEquals(bits, Elements.floatToHalf(value) & 0xFFFF, Integer.toHexString(bits));
            }
        }
    }

    @Test
    void shouldRoundToNearestEvenWhenFloatFallsBetweenHalves() {
        assertEquals(0x3C00, Elements.floatToHalf(1.0f));
        assertEquals(0x3C00, Elements.floatToHalf(1.0f + 0x1p-11f)); // halfway, stays even
        assertEquals(0x3C02, Elements.floatToHalf(1.0f + 3 * 0x1p-11f)); // halfway, rounds up to even
        assertEquals(0x3C01, Elements.floatToHalf(1.0f + 0x1p-11f + 0x1p-20f)); // just above halfway
        assertEquals(0x7BFF, Elements.floatToHalf(65504f));
        assertEquals(0x7C00, Elements.floatToHalf(65520f)); // rounds to infinity
        assertEquals(0x0001, Elements.floatToHalf(0x1p-24f));
        assertEquals(0x0000, Elements.floatToHalf(0x1p-25f)); // halfway to the smallest subnormal, even is 0
        assertEquals(0x0001, Elements.floatToHalf(0x1.8p-25f));
        assertEquals(0x8000 | 0x4000, Elements.floatToHalf(-2f) & 0xFFFF);
    }

    @Test
    void shouldRoundToNearestEvenWhenEncodingBfloat16() {
        assertEquals(0x3F80, Elements.floatToBfloat16(1.0f));
        assertEquals(0x3F80, Elements.floatToBfloat16(1.0f + 0x1p-8f));
        assertEquals(0x3F82, Elements.floatToBfloat16(1.0f + 3 * 0x1p-8f));
        assertEquals(0x4380, Elements.floatToBfloat16(256f));
        assertTrue(Float.isNaN(Float.intBitsToFloat(Elements.floatToBfloat16(Float.NaN) << 16)));
    }

    @Test
    void shouldReadBackSmallIntegersExactlyWhenStoredInAnyType() {
        ByteBuffer b = ByteBuffer.allocateDirect(64 * 8).order(ByteOrder.nativeOrder());
        for (DataType t : DataType.values()) {
            for (int v = 0; v < 64; v++) {
                Elements.put(b, v, t, v * 2);
            }
            for (int v = 0; v < 64; v++) {
                assertEquals(v * 2, Elements.get(b, v, t), t + " " + v);
            }
        }
        Elements.put(b, 0, DataType.UINT8, 255);
        assertEquals(255, Elements.get(b, 0, DataType.UINT8));
        Elements.put(b, 0, DataType.INT8, 255);
        assertEquals(-1, Elements.get(b, 0, DataType.INT8));
        assertEquals(-128, Elements.wrap(DataType.INT8, 128));
        assertEquals(0, Elements.wrap(DataType.UINT8, 256));
        assertEquals(Integer.MIN_VALUE, Elements.wrap(DataType.INT32, 1L << 31));
        assertEquals(1L << 31, Elements.wrap(DataType.INT64, 1L << 31));
    }
}
