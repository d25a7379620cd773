package io.jccl.algorithms;

import io.jccl.algorithms.pattern.DoubleBinaryTree;
import io.jccl.algorithms.pattern.Partition;
import io.jccl.algorithms.pattern.TreeNode;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.CollectiveSpec;
import io.jccl.schedule.Role;
import io.jccl.schedule.ScheduleBuilder;

/**
 * Double-binary-tree allreduce (NCCL's "tree"): two complementary binary trees
 * ({@link DoubleBinaryTree}) each reduce half of the buffer up to their root and broadcast it
 * back down, slice by slice. A rank that is a leaf in one tree is interior in the other, so the
 * two halves keep every link busy in both directions.
 *
 * <p>Depth {@code d ≈ log2 n}; cost about {@code 2(d+S)·α + c·β} for {@code S} slices per
 * half: logarithmic latency with close to ring bandwidth, the choice for many ranks and medium
 * sizes. Partial sums accumulate in OUTPUT (read from INPUT on the first reduction, no copy pass);
 * each element is reduced once at its tree's root (final) and then only copied.
 * <pre>
 *   half 0:  0 ─ 4 ─┬─ 2 ─ 1,3        half 1:  7 ─ 3 ─┬─ 5 ─ 6,4
 *                   └─ 6 ─ 5,7                        └─ 1 ─ 2,0
 *   up: acc = in ⊕ left ⊕ right       down: root's acc copied to everybody
 * </pre>
 * Lanes: with {@code L >= 2} lanes tree {@code t} uses lanes {@code [t·L/2, (t+1)·L/2)} over
 * contiguous parts of its half; with one lane both trees share lane 0, interleaved slice by slice
 * in the same order on every rank (a rank pair's messages on the lane stay matched by order).
 */
final class TreeAllReduce extends BaseAlgorithm {
    TreeAllReduce() {
        super("tree", CollectiveKind.ALL_REDUCE);
    }

    @Override
    void build(ScheduleBuilder b, CollectiveSpec spec, int rank) {
        int n = spec.worldSize();
        long c = spec.countElements();
        long slice = spec.sliceElements();
        int lanesPerTree = Math.max(1, spec.lanes() / 2);
        TreeNode[] nodes = {DoubleBinaryTree.node(n, 0, rank), DoubleBinaryTree.node(n, 1, rank)};
        if (spec.lanes() == 1) {
            long[] start = {0, c / 2};
            long[] size = {c / 2, c - c / 2};
            long slices = Partition.sliceCount(size[1], slice);
            for (long j = 0; j < slices; j++) {
                for (int t = 0; t < 2; t++) {
                    reduceUp(b, 0, nodes[t], start[t], size[t], j * slice, slice);
                }
                for (int t = 0; t < 2; t++) {
                    broadcastDown(b, 0, nodes[t], start[t], size[t], j * slice, slice);
                }
            }
            return;
        }
        for (int t = 0; t < 2; t++) {
            long halfStart = t == 0 ? 0 : c / 2;
            long half = t == 0 ? c / 2 : c - c / 2;
            for (int i = 0; i < lanesPerTree; i++) {
                int lane = t * lanesPerTree + i;
                long partStart = halfStart + Partition.start(half, lanesPerTree, i);
                long part = Partition.size(half, lanesPerTree, i);
                for (long o = 0; o < part; o += slice) {
                    reduceUp(b, lane, nodes[t], partStart, part, o, slice);
                    broadcastDown(b, lane, nodes[t], partStart, part, o, slice);
                }
            }
        }
    }

    private static void reduceUp(ScheduleBuilder b, int lane, TreeNode node, long start, long size, long within,
                                 long slice) {
        if (within < size) {
            long at = start + within;
            TreePieces.reduceUp(b, lane, node, at, Role.OUTPUT, at, sliceLength(size, within, slice));
        }
    }

    private static void broadcastDown(ScheduleBuilder b, int lane, TreeNode node, long start, long size,
                                      long within, long slice) {
        if (within < size) {
            long at = start + within;
            TreePieces.broadcastDown(b, lane, node, Role.OUTPUT, at, at, sliceLength(size, within, slice));
        }
    }
}
