package io.jccl.algorithms;

import io.jccl.algorithms.pattern.Ring;
import io.jccl.schedule.Role;
import io.jccl.schedule.Schedule;
import io.jccl.schedule.ScheduleBuilder;

import java.util.function.IntToLongFunction;

/**
 * The two halves of the ring, shared by ring allreduce (both), reduce-scatter and allgather.
 *
 * <p>The data of one lane is cut into {@code n} blocks; block {@code k} ends up complete on rank
 * {@code k}. In step {@code s} rank {@code r} sends to {@code r+1} and receives from {@code r-1},
 * one block per step, every block split into slices so that a block streams through the ring:
 * <pre>
 * reduce-scatter (n-1 steps)                 allgather (n-1 steps)
 *   step 0:   send     block r-1               step 0:   send   block r
 *   step s:   recv+⊕+send block r-s-1          step s:   recv+send block r-s
 *   step n-1: recv+⊕   block r   (final)       step n-1: recv   block r+1
 * </pre>
 * Each block's sum is built once, in ring order, on its owner, and then only copied: every rank
 * ends with the same bits.
 */
final class RingPieces {
    private RingPieces() {
    }

    /** Where slice {@code within} of block {@code block} is, in one role. */
    @FunctionalInterface
    interface Offsets {
        long at(int block, long within);
    }

    /** A role plus the placement of blocks in it. */
    record Place(Role role, Offsets offsets) {
        long at(int block, long within) {
            return offsets.at(block, within);
        }
    }

    /** The ring as one lane of one rank sees it. */
    record RingLane(int lane, int rank, int worldSize, long sliceElements, IntToLongFunction blockElements) {
        int next() {
            return Ring.next(rank, worldSize);
        }

        int prev() {
            return Ring.prev(rank, worldSize);
        }

        /** Block {@code rank + delta}, wrapped. */
        int block(int delta) {
            return Ring.mod((long) rank + delta, worldSize);
        }
    }

    /** Ring reduce-scatter: block k of {@code input} ends reduced in {@code result} on rank k. */
    static void reduceScatter(ScheduleBuilder b, RingLane ring, Place input, Place partial, Place result) {
        int n = ring.worldSize();
        int lane = ring.lane();
        int first = ring.block(-1);
        for (long o = 0; o < size(ring, first); o += ring.sliceElements()) {
            b.send(lane, ring.next(), input.role(), input.at(first, o), len(ring, first, o));
        }
        for (int s = 1; s <= n - 2; s++) {
            int k = ring.block(-s - 1);
            for (long o = 0; o < size(ring, k); o += ring.sliceElements()) {
                b.recvReduceSend(lane, ring.prev(), ring.next(), input.role(), input.at(k, o),
                        partial.role(), partial.at(k, o), len(ring, k, o), 0);
            }
        }
        int mine = ring.rank();
        for (long o = 0; o < size(ring, mine); o += ring.sliceElements()) {
            b.recvReduce(lane, ring.prev(), input.role(), input.at(mine, o), result.role(), result.at(mine, o),
                    len(ring, mine, o), Schedule.FLAG_FINAL);
        }
    }

    /** Ring allgather: this rank's block is read from {@code own}; every other block lands in {@code output}. */
    static void allGather(ScheduleBuilder b, RingLane ring, Place own, Place output) {
        int n = ring.worldSize();
        int lane = ring.lane();
        int mine = ring.rank();
        for (long o = 0; o < size(ring, mine); o += ring.sliceElements()) {
            b.send(lane, ring.next(), own.role(), own.at(mine, o), len(ring, mine, o));
        }
        for (int s = 1; s <= n - 2; s++) {
            int k = ring.block(-s);
            for (long o = 0; o < size(ring, k); o += ring.sliceElements()) {
                b.recvCopySend(lane, ring.prev(), ring.next(), output.role(), output.at(k, o), len(ring, k, o));
            }
        }
        int last = ring.block(1);
        for (long o = 0; o < size(ring, last); o += ring.sliceElements()) {
            b.recv(lane, ring.prev(), output.role(), output.at(last, o), len(ring, last, o));
        }
    }

    private static long size(RingLane ring, int block) {
        return ring.blockElements().applyAsLong(block);
    }

    private static long len(RingLane ring, int block, long within) {
        return BaseAlgorithm.sliceLength(size(ring, block), within, ring.sliceElements());
    }
}
