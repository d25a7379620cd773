package io.jccl.algorithms.pattern;

/**
 * Splits {@code totalElements} into {@code parts} contiguous pieces, floor-style: piece {@code i}
 * is {@code [floor(i*total/parts), floor((i+1)*total/parts))}. Sizes differ by at most one, the
 * larger pieces come last, and every rank computes the same boundaries without communicating.
 */
public final class Partition {
    private Partition() {
    }

    /** First element of piece {@code index}; {@code index == parts} gives {@code totalElements}. */
    public static long start(long totalElements, int parts, int index) {
        // total = q*parts + rem; writing it this way keeps i*total from overflowing for huge buffers.
        long q = totalElements / parts;
        long rem = totalElements % parts;
        return q * index + rem * index / parts;
    }

    /** Elements in piece {@code index}. */
    public static long size(long totalElements, int parts, int index) {
        return start(totalElements, parts, index + 1) - start(totalElements, parts, index);
    }

    /** How many slices of at most {@code sliceElements} cover {@code countElements} (0 for an empty range). */
    public static long sliceCount(long countElements, long sliceElements) {
        return (countElements + sliceElements - 1) / sliceElements;
    }
}
