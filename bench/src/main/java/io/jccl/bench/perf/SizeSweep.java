package io.jccl.bench.perf;

import java.util.ArrayList;
import java.util.List;

/**
 * The message sizes of a run, following nccl-tests: start at {@code -b}, multiply by {@code -f}
 * while it is greater than 1, else add {@code -i}, and stop after the last size not above
 * {@code -e}. Stateless.
 */
public final class SizeSweep {
    /** More sizes than this is a typo (e.g. {@code -i 1} over a large range), not a benchmark. */
    public static final int MAX_SIZES = 10_000;

    private SizeSweep() {
    }

    /**
     * Sizes in bytes, ascending.
     *
     * @param minBytes    first size ({@code -b}), at least 0
     * @param maxBytes    upper bound ({@code -e}), at least {@code minBytes}
     * @param factor      multiplication factor ({@code -f}); 1 means "add {@code stepBytes}"
     * @param stepBytes   increment ({@code -i}) used when {@code factor} is 1
     * @throws IllegalArgumentException when the parameters would never reach {@code maxBytes} or
     *                                  would produce more than {@link #MAX_SIZES} sizes
     */
    public static List<Long> sizes(long minBytes, long maxBytes, long factor, long stepBytes) {
        if (minBytes < 0 || maxBytes < minBytes) {
            throw new IllegalArgumentException("Need 0 <= -b <= -e, got -b " + minBytes + " -e " + maxBytes);
        }
        if (factor < 1) {
            throw new IllegalArgumentException("-f must be at least 1, got " + factor);
        }
        boolean multiply = factor > 1;
        if (minBytes < maxBytes && (multiply ? minBytes == 0 : stepBytes <= 0)) {
            throw new IllegalArgumentException(multiply
                    ? "-b 0 with -f " + factor + " would never grow; start at -b 1 or more"
                    : "-i must be at least 1 when -f is 1, got " + stepBytes);
        }
        List<Long> sizes = new ArrayList<>();
        long size = minBytes;
        while (size <= maxBytes) {
            if (sizes.size() == MAX_SIZES) {
                throw new IllegalArgumentException("-b " + minBytes + " -e " + maxBytes + " -f " + factor + " -i "
                        + stepBytes + " gives more than " + MAX_SIZES + " sizes; use a larger -f or -i");
            }
            sizes.add(size);
            if (size == maxBytes) {
                break;
            }
            long next = multiply ? size * factor : size + stepBytes;
            boolean overflowed = multiply ? size > Long.MAX_VALUE / factor : next < size;
            if (overflowed) {
                break;
            }
            size = next;
        }
        return sizes;
    }
}
