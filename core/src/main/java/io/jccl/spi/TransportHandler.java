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

    /** Sends to {@code peerRank} that were back-pressured may be posted again. */
    void onWritable(int peerRank);

    /** A peer (or the transport itself when {@code peerRank} is -1) failed; the cause names it. */
    void onFailure(int peerRank, Throwable cause);
}
