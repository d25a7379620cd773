package io.jccl.spi;

import java.nio.ByteBuffer;

/**
 * One communicator's endpoint on a network. A transport delivers every event (inbound fragments,
 * send completions, writability, failures) to its {@link TransportHandler} on its
 * {@link #loop()}, one at a time; the engine runs on that loop too and calls {@link #connect} and
 * {@link Connection#postSend} only from it, so neither side needs locks. A loop that callers can drive
 * (see {@link ProgressLoop#tryEnter}) runs while a caller drives it and while the engine says work
 * is {@link ProgressLoop#keepRunning in flight}; otherwise only for its timers and tasks, at least
 * once a second, so events of an idle communicator come late, but they come.
 *
 * <p>Messages are {@code (tag, descriptor, payload)}. Fragments of one message are delivered in
 * increasing offset order; different messages may interleave. A zero-length message is delivered
 * as exactly one empty fragment.
 */
public interface Transport extends AutoCloseable {

    /** This endpoint's address, published to the other ranks through the rendezvous store. */
    byte[] localAddress();

    /** The thread this transport delivers events on and the engine runs on; the same for its whole life. */
    ProgressLoop loop();

    /**
     * Returns the sending path to {@code peerRank}, starting to establish it if needed. Loop thread
     * only. Must not block; sends posted before it is established are back-pressured
     * ({@link TransportHandler#onWritable} follows), and a failure to establish surfaces as
     * {@link TransportHandler#onFailure}.
     */
    Connection connect(int peerRank, byte[] peerAddress);

    /** Registers memory for zero-copy use (a memory region for RDMA); a no-op token for TCP. */
    default Registration register(ByteBuffer memory) {
        return Registration.NONE;
    }

    /**
     * Closes connections, stops the loop and frees resources; from any thread but the loop's;
     * idempotent; never throws. No event is delivered after it returns.
     */
    @Override
    void close();
}
