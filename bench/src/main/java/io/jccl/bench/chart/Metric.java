package io.jccl.bench.chart;

import java.util.Locale;

/** What the vertical axis of a chart panel shows. */
public enum Metric {
    /** Bus bandwidth in GB/s, on a linear axis from 0. */
    BUS_BANDWIDTH("busbw", "bus bandwidth (GB/s)"),
    /** Mean time per call in microseconds, on a log10 axis (sizes span decades of time). */
    TIME("time", "time per call (log scale)");

    private final String cliName;
    private final String axisLabel;

    Metric(String cliName, String axisLabel) {
        this.cliName = cliName;
        this.axisLabel = axisLabel;
    }

    /** The name on command lines ({@code busbw}, {@code time}). */
    public String cliName() {
        return cliName;
    }

    /** The vertical axis' label. */
    public String axisLabel() {
        return axisLabel;
    }

    /** Whether the axis is logarithmic (then values of 0 or less cannot be drawn). */
    public boolean logarithmic() {
        return this == TIME;
    }

    /** The point's value for this metric; {@code NaN} when missing. */
    public double valueOf(Series.Point p) {
        return this == BUS_BANDWIDTH ? p.busBwGBps() : p.timeUs();
    }

    /**
     * Parses a {@link #cliName()}, case-insensitively.
     *
     * @throws IllegalArgumentException naming the valid names
     */
    public static Metric parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (Metric m : values()) {
            if (m.cliName.equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("Unknown metric '" + text + "'; use busbw or time");
    }
}
