package io.jccl;

import io.jccl.engine.Operation;
import io.jccl.schedule.CollectiveKind;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Maps every {@link Collectives} call onto one submit method, and blocking calls onto a bounded wait. */
abstract class CollectiveCalls implements Collectives {
    /** Extra wait beyond the engine's own deadline before a blocking call gives up by itself. */
    private static final long GRACE_NS = TimeUnit.SECONDS.toNanos(5);

    /** Checks and queues one call; {@code async} calls get a future, blocking ones are awaited. */
    abstract Operation submit(CollectiveKind kind, ByteBuffer in, ByteBuffer out, long count, DataType type,
                              ReduceOp op, int root, boolean inPlace, boolean async);

    /** Deadline applied to calls made through this object. */
    abstract long timeoutNs();

    private void run(CollectiveKind kind, ByteBuffer in, ByteBuffer out, long count, DataType type, ReduceOp op,
                     int root, boolean inPlace) {
        Operation operation = submit(kind, in, out, count, type, op, root, inPlace, false);
        operation.await(timeoutNs() + GRACE_NS);
        // Only after a normal end: after a timeout the engine may still hold the operation.
        recycle(operation);
    }

    /** Takes back the operation of a blocking call that has ended. */
    abstract void recycle(Operation operation);

    private CompletableFuture<Void> start(CollectiveKind kind, ByteBuffer in, ByteBuffer out, long count,
                                          DataType type, ReduceOp op, int root, boolean inPlace) {
        return submit(kind, in, out, count, type, op, root, inPlace, true).future();
    }

    @Override
    public void allReduce(ByteBuffer buffer, long count, DataType type, ReduceOp op) {
        run(CollectiveKind.ALL_REDUCE, buffer, buffer, count, type, op, -1, true);
    }

    @Override
    public void allReduce(ByteBuffer in, ByteBuffer out, long count, DataType type, ReduceOp op) {
        run(CollectiveKind.ALL_REDUCE, in, out, count, type, op, -1, in == out);
    }

    @Override
    public CompletableFuture<Void> allReduceAsync(ByteBuffer buffer, long count, DataType type, ReduceOp op) {
        return start(CollectiveKind.ALL_REDUCE, buffer, buffer, count, type, op, -1, true);
    }

    @Override
    public CompletableFuture<Void> allReduceAsync(ByteBuffer in, ByteBuffer out, long count, DataType type,
                                                  ReduceOp op) {
        return start(CollectiveKind.ALL_REDUCE, in, out, count, type, op, -1, in == out);
    }

    @Override
    public void allGather(ByteBuffer in, ByteBuffer out, long countPerRank, DataType type) {
        run(CollectiveKind.ALL_GATHER, in, out, countPerRank, type, null, -1, false);
    }

    @Override
    public void allGather(ByteBuffer buffer, long countPerRank, DataType type) {
        run(CollectiveKind.ALL_GATHER, buffer, buffer, countPerRank, type, null, -1, true);
    }

    @Override
    public CompletableFuture<Void> allGatherAsync(ByteBuffer in, ByteBuffer out, long countPerRank, DataType type) {
        return start(CollectiveKind.ALL_GATHER, in, out, countPerRank, type, null, -1, false);
    }

    @Override
    public CompletableFuture<Void> allGatherAsync(ByteBuffer buffer, long countPerRank, DataType type) {
        return start(CollectiveKind.ALL_GATHER, buffer, buffer, countPerRank, type, null, -1, true);
    }

    @Override
    public void reduceScatter(ByteBuffer in, ByteBuffer out, long countPerRank, DataType type, ReduceOp op) {
        run(CollectiveKind.REDUCE_SCATTER, in, out, countPerRank, type, op, -1, false);
    }

    @Override
    public void reduceScatter(ByteBuffer buffer, long countPerRank, DataType type, ReduceOp op) {
        run(CollectiveKind.REDUCE_SCATTER, buffer, buffer, countPerRank, type, op, -1, true);
    }

    @Override
    public CompletableFuture<Void> reduceScatterAsync(ByteBuffer in, ByteBuffer out, long countPerRank,
                                                      DataType type, ReduceOp op) {
        return start(CollectiveKind.REDUCE_SCATTER, in, out, countPerRank, type, op, -1, false);
    }

    @Override
    public CompletableFuture<Void> reduceScatterAsync(ByteBuffer buffer, long countPerRank, DataType type,
                                                      ReduceOp op) {
        return start(CollectiveKind.REDUCE_SCATTER, buffer, buffer, countPerRank, type, op, -1, true);
    }

    @Override
    public void broadcast(ByteBuffer buffer, long count, DataType type, int root) {
        run(CollectiveKind.BROADCAST, buffer, buffer, count, type, null, root, true);
    }

    @Override
    public void broadcast(ByteBuffer in, ByteBuffer out, long count, DataType type, int root) {
        run(CollectiveKind.BROADCAST, in, out, count, type, null, root, in == out);
    }

    @Override
    public CompletableFuture<Void> broadcastAsync(ByteBuffer buffer, long count, DataType type, int root) {
        return start(CollectiveKind.BROADCAST, buffer, buffer, count, type, null, root, true);
    }

    @Override
    public CompletableFuture<Void> broadcastAsync(ByteBuffer in, ByteBuffer out, long count, DataType type, int root) {
        return start(CollectiveKind.BROADCAST, in, out, count, type, null, root, in == out);
    }

    @Override
    public void reduce(ByteBuffer in, ByteBuffer out, long count, DataType type, ReduceOp op, int root) {
        run(CollectiveKind.REDUCE, in, out, count, type, op, root, in == out);
    }

    @Override
    public void reduce(ByteBuffer buffer, long count, DataType type, ReduceOp op, int root) {
        run(CollectiveKind.REDUCE, buffer, buffer, count, type, op, root, true);
    }

    @Override
    public CompletableFuture<Void> reduceAsync(ByteBuffer in, ByteBuffer out, long count, DataType type, ReduceOp op,
                                               int root) {
        return start(CollectiveKind.REDUCE, in, out, count, type, op, root, in == out);
    }

    @Override
    public CompletableFuture<Void> reduceAsync(ByteBuffer buffer, long count, DataType type, ReduceOp op, int root) {
        return start(CollectiveKind.REDUCE, buffer, buffer, count, type, op, root, true);
    }

    @Override
    public void barrier() {
        run(CollectiveKind.BARRIER, null, null, 0, DataType.INT8, null, -1, false);
    }

    @Override
    public CompletableFuture<Void> barrierAsync() {
        return start(CollectiveKind.BARRIER, null, null, 0, DataType.INT8, null, -1, false);
    }

    @Override
    public void send(ByteBuffer buffer, long count, DataType type, int peer) {
        run(CollectiveKind.SEND, buffer, null, count, type, null, peer, false);
    }

    @Override
    public void recv(ByteBuffer buffer, long count, DataType type, int peer) {
        run(CollectiveKind.RECV, null, buffer, count, type, null, peer, false);
    }

    @Override
    public CompletableFuture<Void> sendAsync(ByteBuffer buffer, long count, DataType type, int peer) {
        return start(CollectiveKind.SEND, buffer, null, count, type, null, peer, false);
    }

    @Override
    public CompletableFuture<Void> recvAsync(ByteBuffer buffer, long count, DataType type, int peer) {
        return start(CollectiveKind.RECV, null, buffer, count, type, null, peer, false);
    }
}
