package io.jccl.bench.compare;

import java.util.Objects;

/**
 * One measurement of the comparison: one size of one library's run in one repetition. Immutable.
 *
 * <p>Allreduce rows (variants such as {@code tcp}, {@code shm}, {@code ring}, {@code hd}) hold the
 * mean time per call in µs (maximum over ranks), the bus bandwidth in GB/s (nccl-tests' definition,
 * algBW · 2(n−1)/n) and the median single-call time at rank 0. Kernel rows (variant
 * {@value #KERNEL_VARIANT}) hold the time of one kernel call, output bytes per second in GB/s in the
 * {@code busBwGBps} field, and no p50; their {@code ranks} is 1 and {@code bytes} the size of each
 * array.
 *
 * @param run       repetition number, from 1
 * @param library   {@code jccl}, {@code openmpi}, {@code gloo}, or {@code c} for the kernel baseline
 * @param variant   transport or algorithm, e.g. {@code tcp}, {@code shm}, {@code ring}, {@code hd}, or
 *                  {@value #KERNEL_VARIANT}
 * @param ranks     processes in the job
 * @param bytes     message size (allreduce) or array size (kernel) in bytes
 * @param timeUs    mean time per call, µs
 * @param busBwGBps bus bandwidth (allreduce) or output bandwidth (kernel), 10^9 bytes per second
 * @param p50Us     median single-call time, µs; {@code NaN} when not measured
 */
public record RawRow(int run, String library, String variant, int ranks, long bytes, double timeUs,
                     double busBwGBps, double p50Us) {

    /** The variant of reduce-kernel rows. */
    public static final String KERNEL_VARIANT = "kernel";

    public RawRow {
        Objects.requireNonNull(library, "library");
        Objects.requireNonNull(variant, "variant");
        if (library.isEmpty() || variant.isEmpty() || library.contains(",") || variant.contains(",")) {
            throw new IllegalArgumentException("library and variant must be non-empty and free of commas: '"
                    + library + "', '" + variant + "'");
        }
        if (run < 1 || ranks < 1 || bytes < 1) {
            throw new IllegalArgumentException("run, ranks and bytes must be positive: run " + run + ", ranks "
                    + ranks + ", bytes " + bytes);
        }
        if (!(timeUs > 0) || !(busBwGBps >= 0) || Double.isInfinite(timeUs) || Double.isInfinite(busBwGBps)) {
            throw new IllegalArgumentException("time must be positive and bandwidth non-negative, both finite: "
                    + timeUs + " us, " + busBwGBps + " GB/s");
        }
    }

    /** What the medians are taken over: everything but the repetition. */
    public SeriesKey key() {
        return new SeriesKey(library, variant, ranks, bytes);
    }

    public boolean isKernel() {
        return KERNEL_VARIANT.equals(variant);
    }

    /**
     * Identifies one row of the comparison; the repetitions of a key are its samples.
     *
     * @param library library name
     * @param variant variant name
     * @param ranks   processes in the job
     * @param bytes   message or array size
     */
    public record SeriesKey(String library, String variant, int ranks, long bytes) {

        /** {@code library-variant}, e.g. {@code openmpi-tcp}. */
        public String peerName() {
            return library + "-" + variant;
        }

        /** The chart series name, e.g. {@code gloo-ring n=4}. */
        public String seriesName() {
            return peerName() + " n=" + ranks;
        }
    }
}
