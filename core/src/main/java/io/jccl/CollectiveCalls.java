package io.jccl;

import io.jccl.schedule.CollectiveKind;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Maps every {@link Collectives} call onto one submit method, and blocking calls onto a bounded wait. */
abstract class CollectiveCalls implements Collectives {
    /** Extra wait beyond the engine's own deadline before a blocking call gives up by itself. */
    private static final long GRACE_NS = TimeUnit.SECONDS.toNanos(5);

    abstract CompletableFuture<Void> submit(CollectiveKind kind, ByteBuffer in, ByteBuffer out, long count,
                                            DataType type, ReduceOp op, int root, boolean inPlace);

    /** Deadline applied to calls made through this object. */
    abstract long timeoutNs();

    private void await(CompletableFuture<Void> f, CollectiveKind kind) {
        try {
            f.get(timeoutNs() + GRACE_NS, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            throw new JcclException(kind.key() + " failed: " + c, c);
        } catch (TimeoutException e) {
            throw new JcclTimeoutException(kind.key() + " did not complete within "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNs() + GRACE_NS) + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JcclException("Interrupted while waiting for " + kind.key()
                    + "; the collective keeps running and the buffers stay in use until it ends");
        }
    }

    @Override
    public void allReduce(ByteBuffer buffer, long count, DataType type, ReduceOp op) {
        await(allReduceAsync(buffer, count, type, op), CollectiveKind.ALL_REDUCE);
    }

    @Override
    public void allReduce(ByteBuffer in, ByteBuffer out, long count, DataType type, ReduceOp op) {
        await(allReduceAsync(in, out, count, type, op), CollectiveKind.ALL_REDUCE);
    }

    @Override
    public CompletableFuture<Void> allReduceAsync(ByteBuffer buffer, long count, DataType type, ReduceOp op) {
        return submit(CollectiveKind.ALL_REDUCE, buffer, buffer, count, type, op, -1, true);
    }

    @Override
    public CompletableFuture<Void> allReduceAsync(ByteBuffer in, ByteBuffer out, long count, DataType type,
                                                  ReduceOp op) {
        return submit(CollectiveKind.ALL_REDUCE, in, out, count, type, op, -1, in == out);
    }

    @Override
    public void allGather(ByteBuffer in, ByteBuffer out, long countPerRank, DataType type) {
        await(allGatherAsync(in, out, countPerRank, type), CollectiveKind.ALL_GATHER);
    }

    @Override
    public void allGather(ByteBuffer buffer, long countPerRank, DataType type) {
        await(allGatherAsync(buffer, countPerRank, type), CollectiveKind.ALL_GATHER);
    }

    @Override
    public CompletableFuture<Void> allGatherAsync(ByteBuffer in, ByteBuffer out, long countPerRank, DataType type) {
        return submit(CollectiveKind.ALL_GATHER, in, out, countPerRank, type, null, -1, false);
    }

    @Override
    public CompletableFuture<Void> allGatherAsync(ByteBuffer buffer, long countPerRank, DataType type) {
        return submit(CollectiveKind.ALL_GATHER, buffer, buffer, countPerRank, type, null, -1, true);
    }

    @Override
    public void reduceScatter(ByteBuffer in, ByteBuffer out, long countPerRank, DataType type, ReduceOp op) {
        await(reduceScatterAsync(in, out, countPerRank, type, op), CollectiveKind.REDUCE_SCATTER);
    }

    @Override
    public void reduceScatter(ByteBuffer buffer, long countPerRank, DataType type, ReduceOp op) {
        await(reduceScatterAsync(buffer, countPerRank, type, op), CollectiveKind.REDUCE_SCATTER);
    }

    @Override
    public CompletableFuture<Void> reduceScatterAsync(ByteBuffer in, ByteBuffer out, long countPerRank,
                                                      DataType type, ReduceOp op) {
        return submit(CollectiveKind.REDUCE_SCATTER, in, out, countPerRank, type, op, -1, false);
    }

    @Override
    public CompletableFuture<Void> reduceScatterAsync(ByteBuffer buffer, long countPerRank, DataType type,
                                                      ReduceOp op) {
        return submit(CollectiveKind.REDUCE_SCATTER, buffer, buffer, countPerRank, type, op, -1, true);
    }

    @Override
    public void broadcast(ByteBuffer buffer, long count, DataType type, int root) {
        await(broadcastAsync(buffer, count, type, root), CollectiveKind.BROADCAST);
    }

    @Override
    public void broadcast(ByteBuffer in, ByteBuffer out, long count, DataType type, int root) {
        await(broadcastAsync(in, out, count, type, root), CollectiveKind.BROADCAST);
    }

    @Override
    public CompletableFuture<Void> broadcastAsync(ByteBuffer buffer, long count, DataType type, int root) {
        return submit(CollectiveKind.BROADCAST, buffer, buffer, count, type, null, root, true);
    }

    @Override
    public CompletableFuture<Void> broadcastAsync(ByteBuffer in, ByteBuffer out, long count, DataType type, int root) {
        return submit(CollectiveKind.BROADCAST, in, out, count, type, null, root, in == out);
    }

    @Override
    public void reduce(ByteBuffer in, ByteBuffer out, long count, DataType type, ReduceOp op, int root) {
        await(reduceAsync(in, out, count, type, op, root), CollectiveKind.REDUCE);
    }

    @Override
    public void reduce(ByteBuffer buffer, long count, DataType type, ReduceOp op, int root) {
        await(reduceAsync(buffer, count, type, op, root), CollectiveKind.REDUCE);
    }

    @Override
    public CompletableFuture<Void> reduceAsync(ByteBuffer in, ByteBuffer out, long count, DataType type, ReduceOp op,
                                               int root) {
        return submit(CollectiveKind.REDUCE, in, out, count, type, op, root, in == out);
    }

    @Override
    public CompletableFuture<Void> reduceAsync(ByteBuffer buffer, long count, DataType type, ReduceOp op, int root) {
        return submit(CollectiveKind.REDUCE, buffer, buffer, count, type, op, root, true);
    }

    @Override
    public void barrier() {
        await(barrierAsync(), CollectiveKind.BARRIER);
    }

    @Override
    public CompletableFuture<Void> barrierAsync() {
        return submit(CollectiveKind.BARRIER, null, null, 0, DataType.INT8, null, -1, false);
    }

    @Override
    public void send(ByteBuffer buffer, long count, DataType type, int peer) {
        await(sendAsync(buffer, count, type, peer), CollectiveKind.SEND);
    }

    @Override
    public void recv(ByteBuffer buffer, long count, DataType type, int peer) {
        await(recvAsync(buffer, count, type, peer), CollectiveKind.RECV);
    }

    @Override
    public CompletableFuture<Void> sendAsync(ByteBuffer buffer, long count, DataType type, int peer) {
        return submit(CollectiveKind.SEND, buffer, null, count, type, null, peer, false);
    }

    @Override
    public CompletableFuture<Void> recvAsync(ByteBuffer buffer, long count, DataType type, int peer) {
        return submit(CollectiveKind.RECV, null, buffer, count, type, null, peer, false);
    }
}
