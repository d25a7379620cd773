package io.jccl.bench.compare;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The repetitions of one {@link RawRow.SeriesKey} reduced to medians. Each metric's median is taken on
 * its own (so with an even number of runs the median busBW need not equal size / median time).
 * Immutable.
 *
 * @param key            library, variant, ranks, size
 * @param runs           repetitions found
 * @param timeUs         median time per call, µs
 * @param busBwGBps      median bus (or kernel output) bandwidth, GB/s
 * @param p50Us          median of the single-call medians, µs; {@code NaN} if none was measured
 * @param timeSpread     {@code (max − min) / median} of the time over the repetitions
 * @param busBwSpread    the same for the bandwidth
 */
public record MedianRow(RawRow.SeriesKey key, int runs, double timeUs, double busBwGBps, double p50Us,
                        double timeSpread, double busBwSpread) {

    /** Order of rows in reports: library, variant, ranks, size. */
    public static final Comparator<RawRow.SeriesKey> KEY_ORDER = Comparator
            .comparing(RawRow.SeriesKey::library).thenComparing(RawRow.SeriesKey::variant)
            .thenComparingInt(RawRow.SeriesKey::ranks).thenComparingLong(RawRow.SeriesKey::bytes);

    /** Groups rows by key and takes medians; the result is sorted by {@link #KEY_ORDER}. */
    public static List<MedianRow> of(Collection<RawRow> rows) {
        Map<RawRow.SeriesKey, List<RawRow>> groups = new LinkedHashMap<>();
        for (RawRow r : rows) {
            groups.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
        }
        List<MedianRow> result = new ArrayList<>();
        groups.forEach((key, samples) -> {
            double[] time = samples.stream().mapToDouble(RawRow::timeUs).toArray();
            double[] bw = samples.stream().mapToDouble(RawRow::busBwGBps).toArray();
            double[] p50 = samples.stream().mapToDouble(RawRow::p50Us).toArray();
            result.add(new MedianRow(key, samples.size(), Stats.median(time), Stats.median(bw), Stats.median(p50),
                    Stats.relativeSpread(time), Stats.relativeSpread(bw)));
        });
        result.sort(Comparator.comparing(MedianRow::key, KEY_ORDER));
        return result;
    }
}
