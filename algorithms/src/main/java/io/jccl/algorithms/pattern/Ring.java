package io.jccl.algorithms.pattern;

/** Neighbours on the ring {@code 0 -> 1 -> ... -> n-1 -> 0}. */
public final class Ring {
    private Ring() {
    }

    /** The rank {@code rank} sends to. */
    public static int next(int rank, int worldSize) {
        return (rank + 1) % worldSize;
    }

    /** The rank {@code rank} receives from. */
    public static int prev(int rank, int worldSize) {
        return (rank - 1 + worldSize) % worldSize;
    }

    /** {@code (value mod worldSize)} in {@code [0, worldSize)}, also for negative values. */
    public static int mod(long value, int worldSize) {
        return (int) Math.floorMod(value, (long) worldSize);
    }
}
