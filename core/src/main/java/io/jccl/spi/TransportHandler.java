package io.jccl.spi;

/**
 * Receives a transport's events; implemented by the engine. Every method is called on the
 * transport's {@link Transport#loop()}; {@link #onSendComplete} may also be called from inside
 * {@link Connection#postSend}, so implementations must tolerate that re-entry.
 */
public interface TransportHandler {

    /** The send posted with {@code token} is complete: its memory may be reused. */
    void onSendComplete(long token);

    /**
     * Part of an inbound message. The fragment is valid only during this call unless the handler
     * calls {@link InboundFragment#retain()}, which returns a fragment valid until its
     * {@link InboundFragment#release()}.
     */
    void onFragment(InboundFragment fragment);

    /**
     * Asks where the rest of a message may be written directly: the transport has read the message's
     * header (and {@code offsetBytes} of its payload, all delivered) and would rather read the rest
     * from the socket straight into its destination than into a buffer of its own. Returns false
     * (the default) when the data must come as ordinary fragments: the message is not expected yet,
     * or its step combines data instead of storing it. When true, {@code out} holds the region; see
     * {@link Placement} for what the transport then owes. Optional for transports.
     */
    default boolean place(int peerRank, long tag, long descriptor, int messageBytes, int offsetBytes,
                          Placement out) {
        return false;
    }

    /** Sends to {@code peerRank} that were back-pressured may be posted again. */
    void onWritable(int peerRank);

    /** A peer (or the transport itself when {@code peerRank} is -1) failed; the cause names it. */
    void onFailure(int peerRank, Throwable cause);
}
