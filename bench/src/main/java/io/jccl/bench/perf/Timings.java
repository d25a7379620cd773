package io.jccl.bench.perf;

import java.util.Arrays;

/** Small statistics over single-call times, and the per-size iteration budget. Stateless. */
public final class Timings {
    private Timings() {
    }

    /**
     * The {@code q}-quantile by the nearest-rank method (p99 of 20 samples is the largest).
     *
     * @param samplesNs  times; not modified
     * @param q          in (0, 1]
     * @return 0 for no samples
     */
    public static double percentile(long[] samplesNs, int sampleCount, double q) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("q must be in (0, 1], got " + q);
        }
        if (sampleCount == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(samplesNs, sampleCount);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sampleCount);
        return sorted[Math.max(1, rank) - 1];
    }

    /**
     * The iterations to run for one size so that it takes about {@code budgetNs}: when the planned
     * calls ({@code 2 × (iterations + warmups)}, out of place and in place) at {@code probeNs} each
     * would exceed the budget, both counts shrink by the same factor, keeping at least one timed
     * call. With {@code budgetNs <= 0} nothing is reduced.
     *
     * @param probeNs time of one call, the maximum over ranks (so every rank computes the same)
     * @return {@code {iterations, warmups}}
     */
    public static int[] iterationsWithin(int iterations, int warmups, long probeNs, long budgetNs) {
        long plannedCalls = 2L * (iterations + warmups);
        if (budgetNs <= 0 || probeNs <= 0 || plannedCalls * (double) probeNs <= budgetNs) {
            return new int[] {iterations, warmups};
        }
        double scale = budgetNs / (plannedCalls * (double) probeNs);
        return new int[] {Math.max(1, (int) (iterations * scale)), (int) (warmups * scale)};
    }
}
