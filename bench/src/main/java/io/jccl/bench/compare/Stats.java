package io.jccl.bench.compare;

import java.util.Arrays;

/** Median and spread of a few repetitions. Stateless and thread-safe. */
public final class Stats {
    private Stats() {
    }

    /**
     * The median of the values that are not {@code NaN}: the middle one for an odd count, the mean of
     * the two middle ones for an even count; {@code NaN} when there is none.
     */
    public static double median(double... values) {
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    /**
     * How far the repetitions disagree: {@code (max − min) / median} of the values that are not
     * {@code NaN}; 0 for a single value, {@code NaN} when there is none or the median is 0.
     */
    public static double relativeSpread(double... values) {
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        double median = median(v);
        return median == 0 ? Double.NaN : (v[v.length - 1] - v[0]) / median;
    }

    /** {@code numerator / denominator}, or {@code NaN} when either is missing or the denominator is 0. */
    public static double ratio(double numerator, double denominator) {
        if (Double.isNaN(numerator) || Double.isNaN(denominator) || denominator == 0) {
            return Double.NaN;
        }
        return numerator / denominator;
    }
}
