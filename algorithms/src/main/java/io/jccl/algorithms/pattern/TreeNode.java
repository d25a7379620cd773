package io.jccl.algorithms.pattern;

import java.util.Arrays;

/**
 * One rank's place in a tree: its parent ({@code -1} at the root) and its children in the order
 * the algorithms visit them. Immutable.
 */
public final class TreeNode {
    private final int rank;
    private final int parent;
    private final int[] children;

    public TreeNode(int rank, int parent, int... children) {
        this.rank = rank;
        this.parent = parent;
        this.children = children.clone();
    }

    public int rank() {
        return rank;
    }

    /** The parent rank, or -1 for the root. */
    public int parent() {
        return parent;
    }

    public boolean isRoot() {
        return parent < 0;
    }

    public int childCount() {
        return children.length;
    }

    public int child(int index) {
        return children[index];
    }

    @Override
    public String toString() {
        return "TreeNode[rank=" + rank + ", parent=" + parent + ", children=" + Arrays.toString(children) + "]";
    }
}
