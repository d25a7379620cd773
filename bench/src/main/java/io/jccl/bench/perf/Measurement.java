package io.jccl.bench.perf;

/**
 * One column group of the table (out-of-place or in-place) for one size. Immutable.
 *
 * @param timeUs     mean time per call in microseconds, the maximum over ranks
 * @param algBwGBps  algorithm bandwidth: size / time, in GB/s (10^9 bytes per second)
 * @param busBwGBps  bus bandwidth: {@code algBw} times the collective's factor
 * @param wrong      wrong elements summed over ranks, or {@link #NOT_CHECKED}
 * @param p50Us      median single-call time at rank 0, microseconds
 * @param p99Us      99th percentile single-call time at rank 0, microseconds
 */
public record Measurement(double timeUs, double algBwGBps, double busBwGBps, long wrong, double p50Us,
                          double p99Us) {
    /** {@link #wrong} when results were not checked ({@code -c 0}); printed as {@code N/A}. */
    public static final long NOT_CHECKED = -1;

    /**
     * Computes the bandwidths of a size as nccl-tests does.
     *
     * @param sizeBytes  the measured size (after rounding)
     * @param timeNs     mean time per call, the maximum over ranks
     */
    public static Measurement of(PerfCollective collective, int ranks, long sizeBytes, double timeNs, long wrong,
                                 double p50Ns, double p99Ns) {
        double algBw = timeNs > 0 ? sizeBytes / timeNs : 0; // bytes per ns = GB/s
        return new Measurement(timeNs / 1e3, algBw, algBw * collective.busBandwidthFactor(ranks), wrong,
                p50Ns / 1e3, p99Ns / 1e3);
    }

    /** Whether results were checked and some element was wrong. */
    public boolean failed() {
        return wrong > 0;
    }
}
