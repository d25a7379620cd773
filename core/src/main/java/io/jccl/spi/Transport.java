package io.jccl.spi;

import java.nio.ByteBuffer;

/**
 * One communicator's endpoint on a network. Every method except {@link #localAddress()} and
 * {@link #close()} is called only from the engine thread, so implementations need no locking on
 * the engine side; completions from their own I/O threads are queued and handed over in
 * {@link #poll}.
 *
 * <p>Messages are {@code (tag, descriptor, payload)}. Fragments of one message are delivered in
 * increasing offset order; different messages may interleave. A zero-length message is delivered
 * as exactly one empty fragment.
 */
public interface Transport extends AutoCloseable {

    /** This endpoint's address, published to the other ranks through the rendezvous store. */
    byte[] localAddress();

    /**
     * Returns the sending path to {@code peerRank}, starting to establish it if needed. Must not
     * block; sends posted before it is established are back-pressured or queued, and a failure to
     * establish surfaces as {@link TransportHandler#onFailure}.
     */
    Connection connect(int peerRank, byte[] peerAddress);

    /** Registers memory for zero-copy use (a memory region for RDMA); a no-op token for TCP. */
    default Registration register(ByteBuffer memory) {
        return Registration.NONE;
    }

    /**
     * Hands queued send completions, inbound fragments and failures to {@code handler}.
     *
     * @return work done (events delivered), 0 when idle
     */
    int poll(TransportHandler handler);

    /** Closes connections and frees resources; idempotent; never throws. */
    @Override
    void close();
}
