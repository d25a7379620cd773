package io.jccl.engine;

import io.jccl.DataType;
import io.jccl.JcclException;
import io.jccl.JcclTimeoutException;
import io.jccl.ReduceOp;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.Role;
import io.jccl.schedule.Schedule;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * One submitted collective or point-to-point call: the plan, the caller's memory resolved per
 * {@link Role}, and its completion. Created on the caller's thread, executed on the engine's loop.
 * A blocking call waits in {@link #await} (no future is made), usually after driving the loop itself
 * until the call ended ({@link ProgressEngine#submitAndDrive}); an async call gets a
 * {@link CompletableFuture}, completed on the engine's loop thread (whichever thread drives the loop then).
 */
public final class Operation implements BooleanSupplier {
    CollectiveKind kind;
    String algorithm;
    Schedule schedule;
    DataType type;
    ReduceOp op;
    int elementBytes;
    long countElements;
    int root;
    long timeoutNs;
    /** Memory per role ordinal; SCRATCH is filled in by the engine. */
    final ByteBuffer[] memory = new ByteBuffer[3];
    final int[] baseBytes = new int[3];
    /** Identity of the memory behind each role, for conflict checks (in place: INPUT and OUTPUT share one). */
    final int[] memoryId = new int[3];
    long descriptor;
    int sequence;
    long deadlineNs;
    /** How long a thread waiting for this operation polls before it sleeps; set by the engine on submission. */
    long pollNs;
    /** Next in the engine's submission queue. */
    Operation next;

    private CompletableFuture<Void> future;
    private volatile boolean completed;
    private Throwable failure;
    private volatile Thread waiter;

    /**
     * Sets up this operation for a new call; a blocking call's operation may be set up again once
     * {@link #await} has returned, since the engine has let go of it by then.
     *
     * @param in      INPUT memory (may be null where the collective has none on this rank)
     * @param inPos   byte offset of the first INPUT element
     * @param out     OUTPUT memory (may be null on non-root ranks of reduce)
     * @param outPos  byte offset of the first OUTPUT element
     * @param inPlace whether INPUT and OUTPUT are the same memory, mapped as {@link Role} describes
     * @param async   whether the caller wants a {@link #future()} rather than {@link #await}
     * @param descriptor the call's {@link Descriptor}, see {@link #descriptorOf}
     */
    public Operation set(CollectiveKind kind, String algorithm, Schedule schedule, DataType type, ReduceOp op,
                         long countElements, int root, int rank, ByteBuffer in, int inPos, ByteBuffer out,
                         int outPos, boolean inPlace, long timeoutNs, boolean async, long descriptor) {
        this.kind = kind;
        this.algorithm = algorithm;
        this.schedule = schedule;
        this.type = type;
        this.op = op;
        this.elementBytes = type.sizeBytes();
        this.countElements = countElements;
        this.root = root;
        this.timeoutNs = timeoutNs;
        this.descriptor = descriptor;
        this.future = async ? new CompletableFuture<>() : null;
        this.failure = null;
        this.waiter = null;
        this.next = null;
        this.completed = false;
        memoryId[0] = 0;
        memoryId[1] = 1;
        memoryId[2] = 2;
        memory[Role.SCRATCH.ordinal()] = null;
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
        return this;
    }

    /** The descriptor every message of such a call carries, checked by the receiver. */
    public static long descriptorOf(CollectiveKind kind, DataType type, ReduceOp op, String algorithm,
                                    long countElements, int root) {
        boolean p2p = kind == CollectiveKind.SEND || kind == CollectiveKind.RECV;
        return Descriptor.of(p2p ? CollectiveKind.SEND : kind, type, op, algorithm, countElements, p2p ? -1 : root);
    }

    /** Drops the references to the caller's memory, so a parked operation keeps nothing alive. */
    public void clearMemory() {
        memory[0] = null;
        memory[1] = null;
        memory[2] = null;
    }

    /** Whether the operation has ended (as a {@link BooleanSupplier}, for a caller that drives the loop until then). */
    @Override
    public boolean getAsBoolean() {
        return completed;
    }

    /** The future of an async call, completed when the call finishes (exceptionally on failure). */
    public CompletableFuture<Void> future() {
        if (future == null) {
            throw new IllegalStateException("not an async operation");
        }
        return future;
    }

    /** Ends the operation (successfully when {@code cause} is null) and wakes whoever waits. Once only. */
    void complete(Throwable cause) {
        if (completed) {
            return;
        }
        failure = cause;
        completed = true;
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
        if (future != null) {
            if (cause == null) {
                future.complete(null);
            } else {
                future.completeExceptionally(cause);
            }
        }
    }

    /**
     * Waits up to {@code timeoutNs} for the end of a blocking call, polling for up to the poll time
     * the engine chose for it (yielding the core between polls) before it sleeps, and rethrows its failure.
     *
     * @throws JcclTimeoutException when it has not ended in time
     */
    public void await(long timeoutNs) {
        if (!completed && pollNs > 0) {
            long pollStartNs = System.nanoTime();
            while (!completed && System.nanoTime() - pollStartNs < pollNs) {
                Thread.yield();
            }
        }
        if (!completed) {
            waiter = Thread.currentThread();
            long deadlineNs = System.nanoTime() + timeoutNs;
            while (!completed) {
                long leftNs = deadlineNs - System.nanoTime();
                if (leftNs <= 0) {
                    throw new JcclTimeoutException(kind.key() + " did not complete within "
                            + TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms");
                }
                LockSupport.parkNanos(this, leftNs);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new JcclException("Interrupted while waiting for " + kind.key()
                            + "; the collective keeps running and the buffers stay in use until it ends");
                }
            }
            waiter = null;
        }
        Throwable f = failure;
        if (f instanceof RuntimeException) {
            throw (RuntimeException) f;
        }
        if (f instanceof Error) {
            throw (Error) f;
        }
        if (f != null) {
            throw new JcclException(kind.key() + " failed: " + f, f);
        }
    }

    /** Short name for messages, e.g. {@code allreduce #12 (float32 sum, 1000 elements, ring)}. */
    String describe() {
        return kind.key() + " #" + sequence + " (" + type.shortName() + (op == null ? "" : " " + op.shortName()) + ", "
                + countElements + " elements" + (root >= 0 ? ", " + (kind == CollectiveKind.SEND
                || kind == CollectiveKind.RECV ? "peer " : "root ") + root : "") + ", algorithm " + algorithm + ")";
    }
}
