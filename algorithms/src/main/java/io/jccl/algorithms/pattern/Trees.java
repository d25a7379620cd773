package io.jccl.algorithms.pattern;

/**
 * Tree shapes rooted at an arbitrary rank. Ranks are renumbered to virtual ranks
 * {@code v = (rank - root) mod n} so that the root is virtual rank 0.
 * <ul>
 * <li>{@link #binary}: heap order, {@code parent(v) = (v-1)/2}, children {@code 2v+1, 2v+2}; depth
 * {@code floor(log2 n)}.</li>
 * <li>{@link #chain}: {@code v-1 <- v -> v+1}, a tree of fan-out one; depth {@code n-1}.</li>
 * </ul>
 */
public final class Trees {
    private Trees() {
    }

    public static TreeNode binary(int worldSize, int root, int rank) {
        int v = Ring.mod((long) rank - root, worldSize);
        int parent = v == 0 ? -1 : real((v - 1) / 2, root, worldSize);
        long c0 = 2L * v + 1;
        long c1 = 2L * v + 2;
        if (c1 < worldSize) {
            return new TreeNode(rank, parent, real((int) c0, root, worldSize), real((int) c1, root, worldSize));
        }
        if (c0 < worldSize) {
            return new TreeNode(rank, parent, real((int) c0, root, worldSize));
        }
        return new TreeNode(rank, parent);
    }

    public static TreeNode chain(int worldSize, int root, int rank) {
        int v = Ring.mod((long) rank - root, worldSize);
        int parent = v == 0 ? -1 : real(v - 1, root, worldSize);
        return v + 1 < worldSize ? new TreeNode(rank, parent, real(v + 1, root, worldSize))
                : new TreeNode(rank, parent);
    }

    private static int real(int virtualRank, int root, int worldSize) {
        return (virtualRank + root) % worldSize;
    }
}
