package io.jccl.algorithms.pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

@Timeout(30)
class TreesTest {
    private static final int MAX_WORLD = 1100;

    @Test
    void shouldFormOneConsistentSpanningTreeWhenBuildingAnyShape() {
        for (int n = 1; n <= MAX_WORLD; n++) {
            final int size = n;
            int root = (n * 2) / 3;
            checkSpanningTree("binary", n, root, r -> Trees.binary(size, root, r), 2);
            checkSpanningTree("chain", n, root, r -> Trees.chain(size, root, r), 1);
            checkSpanningTree("dbt0", n, DoubleBinaryTree.root(n, 0), r -> DoubleBinaryTree.node(size, 0, r), 2);
            checkSpanningTree("dbt1", n, DoubleBinaryTree.root(n, 1), r -> DoubleBinaryTree.node(size, 1, r), 2);
        }
    }

    @Test
    void shouldKeepTreesShallowWhenTheWorldIsLarge() {
        for (int n : new int[] {2, 3, 7, 8, 64, 1000, 1024, 1100}) {
            int log = PowersOfTwo.ceilLog2(n);
            final int size = n;
            assertTrue(depth(n, 0, r -> Trees.binary(size, 0, r)) <= log, "binary " + n);
            assertTrue(depth(n, 0, r -> DoubleBinaryTree.node(size, 0, r)) <= log + 1, "dbt0 " + n);
            assertTrue(depth(n, DoubleBinaryTree.root(n, 1), r -> DoubleBinaryTree.node(size, 1, r)) <= log + 1,
                    "dbt1 " + n);
        }
    }

    @Test
    void shouldMakeEachTreesLeavesInteriorInTheOtherWhenTheWorldIsEven() {
        for (int n = 2; n <= MAX_WORLD; n += 2) {
            for (int r = 0; r < n; r++) {
                boolean leaf0 = DoubleBinaryTree.node(n, 0, r).childCount() == 0;
                boolean leaf1 = DoubleBinaryTree.node(n, 1, r).childCount() == 0;
                assertTrue(!(leaf0 && leaf1), "n=" + n + " rank " + r + " is a leaf in both trees");
                if (n > 2) {
                    assertTrue(leaf0 || leaf1, "n=" + n + " rank " + r + " is interior in both trees");
                }
            }
        }
    }

    @Test
    void shouldMatchNcclsPictureWhenEightRanks() {
        TreeNode four = DoubleBinaryTree.node(8, 0, 4);
        assertEquals(0, four.parent());
        assertEquals(2, four.child(0));
        assertEquals(6, four.child(1));
        TreeNode three = DoubleBinaryTree.node(8, 1, 3);
        assertEquals(7, three.parent());
        assertEquals(5, three.child(0));
        assertEquals(1, three.child(1));
    }

    /** Parent/child links agree both ways, the root is unique, every rank is reachable, no cycles. */
    private static void checkSpanningTree(String shape, int n, int root, IntFunction<TreeNode> nodes, int fanOut) {
        TreeNode[] all = new TreeNode[n];
        for (int r = 0; r < n; r++) {
            all[r] = nodes.apply(r);
            assertEquals(r, all[r].rank());
            assertTrue(all[r].childCount() <= fanOut, shape + " n=" + n + " rank " + r + " has too many children");
        }
        int[] parentSeen = new int[n];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < all[r].childCount(); i++) {
                int child = all[r].child(i);
                if (child < 0 || child >= n || all[child].parent() != r) {
                    fail(shape + " n=" + n + ": rank " + r + " lists child " + child + " whose parent disagrees");
                }
                parentSeen[child]++;
            }
        }
        for (int r = 0; r < n; r++) {
            if (r == root) {
                assertTrue(all[r].isRoot(), shape + " n=" + n + ": root " + root + " has a parent");
            } else {
                assertEquals(1, parentSeen[r], shape + " n=" + n + ": rank " + r + " is not exactly one child");
            }
        }
        assertEquals(n - 1, java.util.Arrays.stream(parentSeen).sum(), shape + " n=" + n);
        assertTrue(depth(n, root, nodes) < n, shape + " n=" + n + " not connected");
    }

    /** Longest path to the root, memoised (chains are 1000 deep); fails on a cycle or a forest. */
    private static int depth(int n, int root, IntFunction<TreeNode> nodes) {
        int[] parent = new int[n];
        for (int r = 0; r < n; r++) {
            parent[r] = nodes.apply(r).parent();
        }
        int[] depth = new int[n];
        java.util.Arrays.fill(depth, -1);
        depth[root] = 0;
        int deepest = 0;
        for (int r = 0; r < n; r++) {
            java.util.ArrayDeque<Integer> path = new java.util.ArrayDeque<>();
            int at = r;
            while (depth[at] < 0) {
                path.push(at);
                at = parent[at];
                if (at < 0 || path.size() > n) {
                    fail("rank " + r + " never reaches root " + root + " (cycle or forest)");
                }
            }
            int d = depth[at];
            while (!path.isEmpty()) {
                depth[path.pop()] = ++d;
            }
            deepest = Math.max(deepest, depth[r]);
        }
        return deepest;
    }
}
