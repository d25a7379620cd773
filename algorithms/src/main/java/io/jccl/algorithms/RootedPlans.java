package io.jccl.algorithms;

import io.jccl.algorithms.pattern.Partition;
import io.jccl.algorithms.pattern.TreeNode;
import io.jccl.schedule.CollectiveSpec;
import io.jccl.schedule.Role;
import io.jccl.schedule.ScheduleBuilder;

/**
 * Pipelined broadcast and reduce over any tree shape (chain or binary tree): each lane takes a
 * contiguous part of the buffer, each part streams slice by slice.
 */
final class RootedPlans {
    private RootedPlans() {
    }

    static void broadcast(ScheduleBuilder b, CollectiveSpec spec, TreeNode node) {
        long slice = spec.sliceElements();
        for (int lane = 0; lane < spec.lanes(); lane++) {
            long partStart = Partition.start(spec.countElements(), spec.lanes(), lane);
            long part = Partition.size(spec.countElements(), spec.lanes(), lane);
            for (long o = 0; o < part; o += slice) {
                long at = partStart + o;
                long len = BaseAlgorithm.sliceLength(part, o, slice);
                TreePieces.broadcastDown(b, lane, node, Role.INPUT, at, at, len);
                if (node.isRoot() && !spec.inPlace()) {
                    b.copy(lane, Role.INPUT, at, Role.OUTPUT, at, len);
                }
            }
        }
    }

    /** Non-root ranks keep partial sums in scratch slots: OUTPUT is the root's alone. */
    static void reduce(ScheduleBuilder b, CollectiveSpec spec, TreeNode node) {
        long slice = spec.sliceElements();
        long maxPart = Partition.size(spec.countElements(), spec.lanes(), spec.lanes() - 1);
        boolean needsScratch = !node.isRoot() && node.childCount() > 0;
        var scratch = ScratchSlots.layout(b, spec.lanes(), slice, maxPart,
                needsScratch ? Partition.sliceCount(maxPart, slice) : 0);
        for (int lane = 0; lane < spec.lanes(); lane++) {
            long partStart = Partition.start(spec.countElements(), spec.lanes(), lane);
            long part = Partition.size(spec.countElements(), spec.lanes(), lane);
            ScratchSlots slots = scratch.forLane(lane);
            for (long o = 0; o < part; o += slice) {
                long at = partStart + o;
                long len = BaseAlgorithm.sliceLength(part, o, slice);
                if (node.isRoot()) {
                    TreePieces.reduceUp(b, lane, node, at, Role.OUTPUT, at, len);
                } else {
                    // Leaves send INPUT directly; only ranks with children draw a slot.
                    long acc = node.childCount() > 0 ? slots.next() : 0;
                    TreePieces.reduceUp(b, lane, node, at, Role.SCRATCH, acc, len);
                }
            }
        }
    }
}
