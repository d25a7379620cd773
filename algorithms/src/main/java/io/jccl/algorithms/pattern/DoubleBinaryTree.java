package io.jccl.algorithms.pattern;

/**
 * NCCL's double binary tree. The first tree is an in-order binary tree over ranks {@code 1..n-1}
 * (a rank whose lowest set bit is {@code b} has children {@code rank -/+ b/2}, the right one
 * pulled in while it falls outside the world) hung below rank 0, so odd ranks are exactly its
 * leaves. The second tree is the first one mirrored ({@code rank -> n-1-rank}, even {@code n}) or
 * shifted by one ({@code rank -> rank+1}, odd {@code n}), which turns the first tree's leaves into
 * interior nodes: every rank does interior work in at most one tree (except the two roots' region
 * for odd {@code n}), so both trees together use every link about equally.
 *
 * <pre>
 *   n = 8, first tree          second tree (mirror)
 *        0                          7
 *        4                          3
 *      2   6                      5   1
 *     1 3 5 7                    6 4 2 0
 * </pre>
 */
public final class DoubleBinaryTree {
    private DoubleBinaryTree() {
    }

    /** {@code rank}'s node in tree 0 (the in-order tree) or tree 1 (mirrored or shifted). */
    public static TreeNode node(int worldSize, int tree, int rank) {
        if (tree == 0) {
            return inOrder(worldSize, rank);
        }
        boolean mirror = worldSize % 2 == 0;
        int mapped = mirror ? worldSize - 1 - rank : Ring.mod((long) rank - 1, worldSize);
        TreeNode t = inOrder(worldSize, mapped);
        int parent = t.parent() < 0 ? -1 : unmap(t.parent(), mirror, worldSize);
        int[] children = new int[t.childCount()];
        for (int i = 0; i < children.length; i++) {
            children[i] = unmap(t.child(i), mirror, worldSize);
        }
        return new TreeNode(rank, parent, children);
    }

    /** Root of {@code tree}: 0 for tree 0; {@code n-1} (mirror) or 1 (shift) for tree 1. */
    public static int root(int worldSize, int tree) {
        if (tree == 0 || worldSize == 1) {
            return 0;
        }
        return worldSize % 2 == 0 ? worldSize - 1 : 1;
    }

    private static int unmap(int mapped, boolean mirror, int worldSize) {
        return mirror ? worldSize - 1 - mapped : (mapped + 1) % worldSize;
    }

    static TreeNode inOrder(int n, int rank) {
        if (rank == 0) {
            // Rank 0 sits above the in-order tree of 1..n-1, whose root is the largest power of two below n.
            return n == 1 ? new TreeNode(0, -1) : new TreeNode(0, -1, PowersOfTwo.floor(n - 1));
        }
        int bit = Integer.lowestOneBit(rank);
        int up = (rank ^ bit) | (bit << 1);
        if (up >= n) {
            up = rank ^ bit;
        }
        int half = bit >> 1;
        if (half == 0) {
            return new TreeNode(rank, up);
        }
        int left = rank - half;
        int rightStep = half;
        while (rightStep > 0 && rank + rightStep >= n) {
            rightStep >>= 1;
        }
        return rightStep == 0 ? new TreeNode(rank, up, left) : new TreeNode(rank, up, left, rank + rightStep);
    }
}
