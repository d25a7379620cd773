package io.jccl.bench.chart;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One axis of a chart: its scale, the visible range and the ticks. Three kinds: message sizes on a
 * log2 scale labelled {@code 8, 1K, 64K, 1M, 64M}; a linear axis from 0 with "nice" steps
 * (1, 2, 2.5 or 5 times a power of ten); and decades of time ({@code 10 µs, 1 ms}) on a log10 scale.
 * Immutable; the factories are pure functions of their arguments, so they are tested on their own.
 */
public final class Axis {
    /** Room beyond the outermost sizes, in powers of two, so edge markers are not cut by the frame. */
    static final double SIZE_PADDING_LOG2 = 0.35;
    /** Headroom above the largest linear value, so the top point does not touch the frame. */
    static final double LINEAR_HEADROOM = 1.04;
    /** Label strides of the size axis, in powers of two: all divide 10, so 1K, 1M and 1G are always labelled. */
    private static final int[] SIZE_STRIDES = {1, 2, 5, 10, 20, 30};
    private static final double[] NICE_MANTISSAS = {1, 2, 2.5, 5, 10};

    /** How values map to positions. */
    public enum Scale { LINEAR, LOG2, LOG10 }

    /**
     * A tick at {@code value} (in data units: bytes, GB/s, µs). Minor ticks draw a grid line only
     * and have an empty label.
     */
    public record Tick(double value, String label, boolean major) {
    }

    private final Scale scale;
    private final double low;
    private final double high;
    private final List<Tick> ticks;

    private Axis(Scale scale, double low, double high, List<Tick> ticks) {
        this.scale = scale;
        this.low = low;
        this.high = high;
        this.ticks = List.copyOf(ticks);
    }

    /**
     * A log2 axis for message sizes from {@code minBytes} to {@code maxBytes}, padded a little on
     * both sides. A minor tick at every power of two, a label at every {@code stride}-th power,
     * the stride being the smallest of 1, 2, 5, 10, 20, 30 that keeps the labels at most {@code maxLabels}.
     *
     * @param minBytes smallest size, at least 1
     * @param maxBytes largest size, at least {@code minBytes}
     */
    public static Axis sizes(long minBytes, long maxBytes, int maxLabels) {
        if (minBytes < 1 || maxBytes < minBytes) {
            throw new IllegalArgumentException("need 1 <= minBytes <= maxBytes, got " + minBytes + ", " + maxBytes);
        }
        double low = log2(minBytes) - SIZE_PADDING_LOG2;
        double high = log2(maxBytes) + SIZE_PADDING_LOG2;
        if (high - low < 2) {
            // One size alone: show a power of two on each side, so the axis still reads as sizes.
            double mid = (low + high) / 2;
            low = mid - 1.2;
            high = mid + 1.2;
        }
        int firstExp = (int) Math.max(0, Math.ceil(low));
        int lastExp = (int) Math.min(62, Math.floor(high));
        int stride = SIZE_STRIDES[SIZE_STRIDES.length - 1];
        for (int s : SIZE_STRIDES) {
            if (multiplesIn(firstExp, lastExp, s) <= Math.max(1, maxLabels)) {
                stride = s;
                break;
            }
        }
        boolean anyMajor = multiplesIn(firstExp, lastExp, stride) > 0;
        List<Tick> ticks = new ArrayList<>();
        for (int e = firstExp; e <= lastExp; e++) {
            boolean major = anyMajor ? e % stride == 0 : e == firstExp;
            ticks.add(new Tick(Math.scalb(1.0, e), major ? sizeLabel(1L << e) : "", major));
        }
        return new Axis(Scale.LOG2, low, high, ticks);
    }

    /**
     * A linear axis from 0 to a nice value at least {@code LINEAR_HEADROOM × maxValue}, with at most
     * {@code maxIntervals} equal steps of 1, 2, 2.5 or 5 times a power of ten. A {@code maxValue}
     * of 0 or less (or NaN) gives the range 0 to 1.
     */
    public static Axis linearFromZero(double maxValue, int maxIntervals) {
        double top = maxValue > 0 && Double.isFinite(maxValue) ? maxValue * LINEAR_HEADROOM : 1;
        int intervals = Math.max(1, maxIntervals);
        double step = niceStep(top / intervals);
        long count = (long) Math.ceil(top / step - 1e-9);
        int decimals = decimalsOf(step);
        List<Tick> ticks = new ArrayList<>();
        for (long i = 0; i <= count; i++) {
            double v = i * step;
            ticks.add(new Tick(v, String.format(Locale.ROOT, "%." + decimals + "f", v), true));
        }
        return new Axis(Scale.LINEAR, 0, count * step, ticks);
    }

    /**
     * A log10 axis for times in microseconds covering whole decades around {@code minUs}..{@code maxUs}
     * (at least one decade): a labelled tick per decade ({@code 1 µs, 10 µs, 100 µs, 1 ms, ...}) and,
     * up to six decades, unlabelled ticks at 2..9 times each decade.
     *
     * @param minUs smallest time, above 0
     * @param maxUs largest time, at least {@code minUs}
     */
    public static Axis decades(double minUs, double maxUs) {
        if (!(minUs > 0) || !(maxUs >= minUs) || Double.isInfinite(maxUs)) {
            throw new IllegalArgumentException("need 0 < minUs <= maxUs, got " + minUs + ", " + maxUs);
        }
        // A little slack, so a time of exactly 100 µs does not sit on the frame.
        int lowExp = (int) Math.floor(Math.log10(minUs) - 0.02);
        int highExp = (int) Math.ceil(Math.log10(maxUs) + 0.02);
        if (highExp == lowExp) {
            highExp++;
        }
        boolean minors = highExp - lowExp <= 6;
        List<Tick> ticks = new ArrayList<>();
        for (int e = lowExp; e <= highExp; e++) {
            double decade = Math.pow(10, e);
            ticks.add(new Tick(decade, timeLabel(decade), true));
            for (int m = 2; minors && e < highExp && m <= 9; m++) {
                ticks.add(new Tick(m * decade, "", false));
            }
        }
        return new Axis(Scale.LOG10, lowExp, highExp, ticks);
    }

    public Scale scale() {
        return scale;
    }

    /** Every tick, major and minor, in ascending value order per kind. */
    public List<Tick> ticks() {
        return ticks;
    }

    /** The labelled ticks. */
    public List<Tick> majorTicks() {
        return ticks.stream().filter(Tick::major).toList();
    }

    /** The lowest visible value, in data units. */
    public double minValue() {
        return unscale(low);
    }

    /** The highest visible value, in data units. */
    public double maxValue() {
        return unscale(high);
    }

    /**
     * Where {@code value} lies: 0 at the low end of the axis, 1 at the high end (outside [0, 1] when
     * off the axis); NaN for values a log axis cannot show (0 or less) and for NaN.
     */
    public double fraction(double value) {
        double v;
        switch (scale) {
            case LOG2:
                v = value > 0 ? log2(value) : Double.NaN;
                break;
            case LOG10:
                v = value > 0 ? Math.log10(value) : Double.NaN;
                break;
            default:
                v = value;
                break;
        }
        return (v - low) / (high - low);
    }

    /** Whether {@code value} can be placed on this axis (finite, and above 0 on a log axis). */
    public boolean canShow(double value) {
        return Double.isFinite(value) && (scale == Scale.LINEAR || value > 0);
    }

    /**
     * {@code 8}, {@code 512}, {@code 1K}, {@code 64K}, {@code 1M}, {@code 2G}, {@code 1T}; sizes that
     * are not a whole number of K stay in bytes ({@code 1536}).
     */
    public static String sizeLabel(long bytes) {
        String[] units = {"T", "G", "M", "K"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes != 0 && bytes % unit == 0) {
                return bytes / unit + units[i];
            }
        }
        return Long.toString(bytes);
    }

    /** A time in microseconds with the unit that keeps the number short: {@code 100 ns, 10 µs, 1 ms, 10 s}. */
    public static String timeLabel(double us) {
        if (us >= 1e6) {
            return short3(us / 1e6) + " s";
        }
        if (us >= 1e3) {
            return short3(us / 1e3) + " ms";
        }
        if (us >= 1) {
            return short3(us) + " \u00b5s";
        }
        return short3(us * 1e3) + " ns";
    }

    /** The smallest of 1, 2, 2.5, 5 times a power of ten that is at least {@code rawStep} (above 0). */
    public static double niceStep(double rawStep) {
        if (!(rawStep > 0) || Double.isInfinite(rawStep)) {
            throw new IllegalArgumentException("step must be positive and finite, got " + rawStep);
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(rawStep)));
        for (double m : NICE_MANTISSAS) {
            // Relative slack: 0.3 / 0.1 is 2.9999999999999996, which must still pick 3 → 5, not 2.5.
            if (m * magnitude >= rawStep * (1 - 1e-9)) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static int decimalsOf(double step) {
        // Enough digits that every multiple of the step prints exactly: 0.25 → 2, 0.5 → 1, 20 → 0.
        BigDecimal exact = new BigDecimal(step).round(new MathContext(3, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        return Math.max(0, exact.scale());
    }

    private static int multiplesIn(int first, int last, int stride) {
        int count = 0;
        for (int e = first; e <= last; e++) {
            if (e % stride == 0) {
                count++;
            }
        }
        return count;
    }

    private static String short3(double v) {
        return new BigDecimal(v).round(new MathContext(3, RoundingMode.HALF_EVEN)).stripTrailingZeros().toPlainString();
    }

    private double unscale(double v) {
        switch (scale) {
            case LOG2:
                return Math.pow(2, v);
            case LOG10:
                return Math.pow(10, v);
            default:
                return v;
        }
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }
}
