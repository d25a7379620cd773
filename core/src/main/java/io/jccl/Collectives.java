package io.jccl;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * The collective and point-to-point calls. Implemented by {@link Communicator} and by its
 * per-call option views ({@link Communicator#with(CallOptions)}).
 *
 * <p>Buffers: direct {@link ByteBuffer}s (see {@link Communicator#allocate(long)}); data starts at
 * the buffer's position and must fit before its limit; positions and limits are not changed.
 * Reducing calls need native byte order. Counts are in elements of {@code type}. Every rank must
 * make the same calls in the same order with the same counts, type, op and root; a mismatch is
 * reported, not silently mixed.
 *
 * <p>Blocking calls wait at most the communicator's timeout (or the view's) and throw
 * {@link JcclTimeoutException}; async calls return a future that completes, exceptionally on
 * failure, within the same deadline. The caller must not touch the buffers of an async call until
 * its future completes. Any thread may call; calls are executed in the order they were made.
 */
public interface Collectives {

    /** In place: {@code buffer[0,count)} becomes the element-wise reduction over all ranks. */
    void allReduce(ByteBuffer buffer, long count, DataType type, ReduceOp op);

    /** {@code out[0,count)} = reduction over all ranks of {@code in[0,count)}. */
    void allReduce(ByteBuffer in, ByteBuffer out, long count, DataType type, ReduceOp op);

    CompletableFuture<Void> allReduceAsync(ByteBuffer buffer, long count, DataType type, ReduceOp op);

    CompletableFuture<Void> allReduceAsync(ByteBuffer in, ByteBuffer out, long count, DataType type, ReduceOp op);

    /** {@code out} (worldSize × countPerRank elements) receives every rank's {@code in}, in rank order. */
    void allGather(ByteBuffer in, ByteBuffer out, long countPerRank, DataType type);

    /** In place: this rank's block is already at {@code buffer[rank*countPerRank]}; the others are filled in. */
    void allGather(ByteBuffer buffer, long countPerRank, DataType type);

    CompletableFuture<Void> allGatherAsync(ByteBuffer in, ByteBuffer out, long countPerRank, DataType type);

    CompletableFuture<Void> allGatherAsync(ByteBuffer buffer, long countPerRank, DataType type);

    /** {@code out[0,countPerRank)} = reduction over all ranks of block {@code rank} of {@code in} (worldSize blocks). */
    void reduceScatter(ByteBuffer in, ByteBuffer out, long countPerRank, DataType type, ReduceOp op);

    /** In place: the result lands in block {@code rank} of {@code buffer}; other blocks are left undefined. */
    void reduceScatter(ByteBuffer buffer, long countPerRank, DataType type, ReduceOp op);

    CompletableFuture<Void> reduceScatterAsync(ByteBuffer in, ByteBuffer out, long countPerRank, DataType type,
                                               ReduceOp op);

    CompletableFuture<Void> reduceScatterAsync(ByteBuffer buffer, long countPerRank, DataType type, ReduceOp op);

    /** In place: the root's {@code buffer[0,count)} is copied to every rank's {@code buffer}. */
    void broadcast(ByteBuffer buffer, long count, DataType type, int root);

    /** The root's {@code in} lands in every rank's {@code out}; {@code in} is read at the root only (may be null elsewhere). */
    void broadcast(ByteBuffer in, ByteBuffer out, long count, DataType type, int root);

    CompletableFuture<Void> broadcastAsync(ByteBuffer buffer, long count, DataType type, int root);

    CompletableFuture<Void> broadcastAsync(ByteBuffer in, ByteBuffer out, long count, DataType type, int root);

    /** The root's {@code out} = reduction over all ranks' {@code in}; {@code out} is used at the root only (may be null elsewhere). */
    void reduce(ByteBuffer in, ByteBuffer out, long count, DataType type, ReduceOp op, int root);

    /** In place: the root's {@code buffer} becomes the reduction; other ranks' buffers are only read. */
    void reduce(ByteBuffer buffer, long count, DataType type, ReduceOp op, int root);

    CompletableFuture<Void> reduceAsync(ByteBuffer in, ByteBuffer out, long count, DataType type, ReduceOp op, int root);

    CompletableFuture<Void> reduceAsync(ByteBuffer buffer, long count, DataType type, ReduceOp op, int root);

    /** Returns once every rank has called barrier. */
    void barrier();

    CompletableFuture<Void> barrierAsync();

    /** Sends {@code buffer[0,count)} to {@code peer}, matched by the peer's next {@link #recv} from this rank. */
    void send(ByteBuffer buffer, long count, DataType type, int peer);

    /** Receives into {@code buffer[0,count)} the next {@link #send} of {@code peer} to this rank; counts must match. */
    void recv(ByteBuffer buffer, long count, DataType type, int peer);

    CompletableFuture<Void> sendAsync(ByteBuffer buffer, long count, DataType type, int peer);

    CompletableFuture<Void> recvAsync(ByteBuffer buffer, long count, DataType type, int peer);
}
