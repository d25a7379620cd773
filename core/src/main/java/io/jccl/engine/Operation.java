package io.jccl.engine;

import io.jccl.DataType;
import io.jccl.ReduceOp;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.Role;
import io.jccl.schedule.Schedule;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One submitted collective or point-to-point call: the plan, the caller's memory resolved per
 * {@link Role}, and the future the caller waits on. Created on the caller's thread, executed on
 * the engine thread.
 */
public final class Operation {
    final CollectiveKind kind;
    final String algorithm;
    final Schedule schedule;
    final DataType type;
    final ReduceOp op;
    final int elementBytes;
    final long countElements;
    final int root;
    final long timeoutNs;
    final CompletableFuture<Void> future = new CompletableFuture<>();
    /** Memory per role ordinal; SCRATCH is filled in by the engine. */
    final ByteBuffer[] memory = new ByteBuffer[3];
    final int[] baseBytes = new int[3];
    /** Identity of the memory behind each role, for conflict checks (in place: INPUT and OUTPUT share one). */
    final int[] memoryId = {0, 1, 2};
    final long descriptor;
    int sequence;
    long deadlineNs;

    /**
     * @param in      INPUT memory (may be null where the collective has none on this rank)
     * @param inPos   byte offset of the first INPUT element
     * @param out     OUTPUT memory (may be null on non-root ranks of reduce)
     * @param outPos  byte offset of the first OUTPUT element
     * @param inPlace whether INPUT and OUTPUT are the same memory, mapped as {@link Role} describes
     */
    public Operation(CollectiveKind kind, String algorithm, Schedule schedule, DataType type, ReduceOp op,
                     long countElements, int root, int rank, ByteBuffer in, int inPos, ByteBuffer out, int outPos,
                     boolean inPlace, long timeoutNs) {
        this.kind = kind;
        this.algorithm = algorithm;
        this.schedule = schedule;
        this.type = type;
        this.op = op;
        this.elementBytes = type.sizeBytes();
        this.countElements = countElements;
        this.root = root;
        this.timeoutNs = timeoutNs;
        boolean p2p = kind == CollectiveKind.SEND || kind == CollectiveKind.RECV;
        this.descriptor = Descriptor.of(p2p ? CollectiveKind.SEND : kind, type, op, algorithm, countElements,
                p2p ? -1 : root);
        memory[Role.INPUT.ordinal()] = in;
        baseBytes[Role.INPUT.ordinal()] = inPos;
        memory[Role.OUTPUT.ordinal()] = out;
        baseBytes[Role.OUTPUT.ordinal()] = outPos;
        if (inPlace) {
            int i = Role.INPUT.ordinal();
            int o = Role.OUTPUT.ordinal();
            long block = countElements * elementBytes * rank;
            if (kind == CollectiveKind.ALL_GATHER) {
                memory[i] = out;
                baseBytes[i] = (int) (outPos + block);
                memoryId[i] = memoryId[o];
            } else if (kind == CollectiveKind.REDUCE_SCATTER) {
                memory[o] = in;
                baseBytes[o] = (int) (inPos + block);
                memoryId[o] = memoryId[i];
            } else {
                memory[i] = out;
                baseBytes[i] = outPos;
                memoryId[i] = memoryId[o];
            }
        }
    }

    /** The future completed when the call finishes, exceptionally on failure or timeout. */
    public CompletableFuture<Void> future() {
        return future;
    }

    /** Short name for messages, e.g. {@code allreduce #12 (float32 sum, 1000 elements, ring)}. */
    String describe() {
        return kind.key() + " #" + sequence + " (" + type.shortName() + (op == null ? "" : " " + op.shortName()) + ", "
                + countElements + " elements" + (root >= 0 ? ", " + (kind == CollectiveKind.SEND
                || kind == CollectiveKind.RECV ? "peer " : "root ") + root : "") + ", algorithm " + algorithm + ")";
    }
}
