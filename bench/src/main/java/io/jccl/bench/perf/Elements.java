package io.jccl.bench.perf;

import io.jccl.DataType;

import java.nio.ByteBuffer;

/**
 * Reads and writes single elements of any {@link DataType} at an element index of a native-order
 * buffer, converting through {@code double}. Includes the IEEE half and bfloat16 conversions
 * (round to nearest even), which the JDK offers only from release 20. Stateless.
 */
final class Elements {
    private Elements() {
    }

    /** Writes {@code value} as element {@code index}: integers wrap to the type's width, floats round. */
    static void put(ByteBuffer buffer, long index, DataType type, double value) {
        int at = Math.toIntExact(index * type.sizeBytes());
        switch (type) {
            case INT8:
            case UINT8:
                buffer.put(at, (byte) (long) value);
                break;
            case INT32:
                buffer.putInt(at, (int) (long) value);
                break;
            case INT64:
                buffer.putLong(at, (long) value);
                break;
            case FLOAT16:
                buffer.putShort(at, floatToHalf((float) value));
                break;
            case BFLOAT16:
                buffer.putShort(at, floatToBfloat16((float) value));
                break;
            case FLOAT32:
                buffer.putFloat(at, (float) value);
                break;
            case FLOAT64:
                buffer.putDouble(at, value);
                break;
            default:
                throw new AssertionError(type);
        }
    }

    /** Reads element {@code index} as a {@code double} (exact for every value of the 8-to-32-bit types). */
    static double get(ByteBuffer buffer, long index, DataType type) {
        int at = Math.toIntExact(index * type.sizeBytes());
        switch (type) {
            case INT8:
                return buffer.get(at);
            case UINT8:
                return buffer.get(at) & 0xFF;
            case INT32:
                return buffer.getInt(at);
            case INT64:
                return buffer.getLong(at);
            case FLOAT16:
                return halfToFloat(buffer.getShort(at));
            case BFLOAT16:
                return Float.intBitsToFloat(buffer.getShort(at) << 16);
            case FLOAT32:
                return buffer.getFloat(at);
            case FLOAT64:
                return buffer.getDouble(at);
            default:
                throw new AssertionError(type);
        }
    }

    /** The value an integer type stores for {@code value} (two's-complement wrap); floats pass through. */
    static double wrap(DataType type, long value) {
        switch (type) {
            case INT8:
                return (byte) value;
            case UINT8:
                return value & 0xFF;
            case INT32:
                return (int) value;
            default:
                return value;
        }
    }

    static short floatToBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    static short floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7F_FFFF;
        if (exponent == 0xFF) {
            return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0));
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (halfExponent <= 0) {
            if (halfExponent < -10) {
                return (short) sign;
            }
            // Subnormal: shift the mantissa (with its implicit 1) into place, rounding to nearest even.
            int m = mantissa | 0x80_0000;
            int shift = 14 - halfExponent;
            int half = m >>> shift;
            int remainder = m & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (remainder > halfway || (remainder == halfway && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (halfExponent << 10) | (mantissa >>> 13);
        int remainder = mantissa & 0x1FFF;
        if (remainder > 0x1000 || (remainder == 0x1000 && (half & 1) != 0)) {
            half++; // may carry into the exponent, which correctly rounds up to the next binade or infinity
        }
        return (short) (sign | half);
    }

    static float halfToFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }
}
