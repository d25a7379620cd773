package io.jccl.spi;

/** Receives the events of {@link Transport#poll}; implemented by the engine; engine thread only. */
public interface TransportHandler {

    /** The send posted with {@code token} is complete: its memory may be reused. */
    void onSendComplete(long token);

    /**
     * Part of an inbound message. The fragment is valid only during this call unless the handler
     * calls {@link InboundFragment#retain()}, which returns a fragment valid until its
     * {@link InboundFragment#release()}.
     */
    void onFragment(InboundFragment fragment);

    /** A peer (or the transport itself when {@code peerRank} is -1) failed; the cause names it. */
    void onFailure(int peerRank, Throwable cause);
}
