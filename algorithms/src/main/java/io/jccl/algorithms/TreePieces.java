package io.jccl.algorithms;

import io.jccl.algorithms.pattern.TreeNode;
import io.jccl.schedule.Role;
import io.jccl.schedule.Schedule;
import io.jccl.schedule.ScheduleBuilder;

/**
 * One slice of a reduction up a tree and of a broadcast down a tree, shared by the chain and tree
 * variants of reduce, broadcast and allreduce (a chain is a tree of fan-out one). Callers loop
 * over slices, so consecutive slices stream through the tree one level apart.
 * <pre>
 *   reduce up: acc = in ⊕ child0 ⊕ child1, then send acc to the parent (root: final)
 *   broadcast down: recv from the parent, forward to child0, child1
 * </pre>
 * The order in which children are added is fixed by the tree, so the result is one expression.
 */
final class TreePieces {
    private TreePieces() {
    }

    /**
     * Reduces {@code count} elements of INPUT at {@code inputOffset} with the children's partial sums
     * into {@code acc}, then sends {@code acc} to the parent; at the root the last reduction is final.
     * A leaf sends its INPUT directly and never touches {@code acc}.
     */
    static void reduceUp(ScheduleBuilder b, int lane, TreeNode node, long inputOffset, Role accRole, long accOffset,
                         long count) {
        if (node.childCount() == 0) {
            b.send(lane, node.parent(), Role.INPUT, inputOffset, count);
            return;
        }
        Role srcRole = Role.INPUT;
        long srcOffset = inputOffset;
        for (int i = 0; i < node.childCount(); i++) {
            boolean last = i == node.childCount() - 1;
            if (last && !node.isRoot()) {
                b.recvReduceSend(lane, node.child(i), node.parent(), srcRole, srcOffset, accRole, accOffset, count, 0);
            } else {
                b.recvReduce(lane, node.child(i), srcRole, srcOffset, accRole, accOffset, count,
                        last ? Schedule.FLAG_FINAL : 0);
            }
            srcRole = accRole;
            srcOffset = accOffset;
        }
    }

    /**
     * Broadcasts {@code count} elements: the root sends from {@code rootRole}; everybody else
     * receives into OUTPUT at {@code outputOffset} and forwards to its children.
     */
    static void broadcastDown(ScheduleBuilder b, int lane, TreeNode node, Role rootRole, long rootOffset,
                              long outputOffset, long count) {
        int first = 0;
        Role from = rootRole;
        long fromOffset = rootOffset;
        if (!node.isRoot()) {
            if (node.childCount() == 0) {
                b.recv(lane, node.parent(), Role.OUTPUT, outputOffset, count);
                return;
            }
            b.recvCopySend(lane, node.parent(), node.child(0), Role.OUTPUT, outputOffset, count);
            first = 1;
            from = Role.OUTPUT;
            fromOffset = outputOffset;
        }
        for (int i = first; i < node.childCount(); i++) {
            b.send(lane, node.child(i), from, fromOffset, count);
        }
    }
}
