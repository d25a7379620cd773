package io.jccl.spi;

import java.nio.ByteBuffer;

/** A piece of an inbound message, as handed to {@link TransportHandler#onFragment}. */
public interface InboundFragment {

    int peerRank();

    long tag();

    long descriptor();

    /** Total payload length of the message in bytes. */
    int messageBytes();

    /** Offset of this fragment within the message payload. */
    int offsetBytes();

    /**
     * The fragment bytes between position and limit, in native byte order. Callers must not move
     * position or limit of the returned buffer permanently if they intend to read it again (use
     * absolute reads).
     */
    ByteBuffer data();

    /**
     * True when the transport has already written these bytes into the region a {@link
     * TransportHandler#place} call gave it; {@link #data()} then shows them in place, and there is
     * nothing to copy.
     */
    default boolean placed() {
        return false;
    }

    /**
     * Keeps the fragment beyond the current callback. Returns a fragment (maybe a copy, maybe this
     * one) that stays valid until its {@link #release()}; the transport must not make a sender wait
     * for the receiver's release.
     */
    InboundFragment retain();

    /** Ends the life of a retained fragment. */
    void release();
}
