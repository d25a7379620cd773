package io.jccl.algorithms.pattern;

/** Power-of-two helpers for the logarithmic algorithms. */
public final class PowersOfTwo {
    private PowersOfTwo() {
    }

    /** Largest power of two {@code <= value}; {@code value >= 1}. */
    public static int floor(int value) {
        return Integer.highestOneBit(value);
    }

    /** Smallest {@code k} with {@code 2^k >= value}; 0 for {@code value <= 1}. */
    public static int ceilLog2(int value) {
        return value <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(value - 1);
    }

    public static boolean isPowerOfTwo(int value) {
        return value > 0 && (value & (value - 1)) == 0;
    }
}
