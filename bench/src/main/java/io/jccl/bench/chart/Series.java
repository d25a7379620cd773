package io.jccl.bench.chart;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One line of a chart: named points, sorted by message size. Immutable.
 *
 * <p>A value may be missing ({@code NaN}), e.g. a run that measured only the time; the chart
 * leaves a gap there. A series need not have a point at every size of the other series.
 *
 * @param name   legend text, e.g. {@code jccl allreduce tcp n=4 out-of-place}
 * @param points the points; copied and sorted by {@link Point#sizeBytes()}
 */
public record Series(String name, List<Point> points) {

    public Series {
        Objects.requireNonNull(name, "name");
        List<Point> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingLong(Point::sizeBytes));
        points = List.copyOf(sorted);
    }

    /** The value that {@code metric} plots for each point, in point order ({@code NaN} where missing). */
    public double[] values(Metric metric) {
        double[] v = new double[points.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = metric.valueOf(points.get(i));
        }
        return v;
    }

    /**
     * One measured size.
     *
     * @param sizeBytes  message size in bytes, at least 0 (0 cannot be placed on the log axis and is not drawn)
     * @param busBwGBps  bus bandwidth in GB/s (10^9 bytes per second), or {@code NaN} when missing
     * @param timeUs     time per call in microseconds, or {@code NaN} when missing
     */
    public record Point(long sizeBytes, double busBwGBps, double timeUs) {
        public Point {
            if (sizeBytes < 0) {
                throw new IllegalArgumentException("sizeBytes must be at least 0, got " + sizeBytes);
            }
        }
    }
}
