package io.jccl.spi;

import java.nio.ByteBuffer;

/** The sending path from this rank to one peer. Loop thread only. */
public interface Connection {

    /** What became of a {@link #postSend}. */
    enum SendResult {
        /** Nothing was sent; post again after {@link TransportHandler#onWritable} for this peer. */
        BACK_PRESSURED,
        /** Sent from the caller's memory; {@link TransportHandler#onSendComplete} reports when it is free again. */
        IN_FLIGHT,
        /** The payload was copied (small messages): the memory is free now and no completion follows. */
        COMPLETE
    }

    int peerRank();

    /**
     * Posts a message whose payload is {@code memory[offsetBytes, offsetBytes + lengthBytes)}
     * (absolute indices; the buffer's position and limit are ignored and left alone). Unless the
     * result is {@link SendResult#COMPLETE}, the transport sends straight from that memory, so the
     * caller must not change it until {@link TransportHandler#onSendComplete(long)} reports
     * {@code token}. That completion may be delivered before this method returns, from inside it.
     * A send to a peer already reported failed is dropped and reported {@code COMPLETE}.
     */
    SendResult postSend(long tag, long descriptor, ByteBuffer memory, int offsetBytes, int lengthBytes, long token);
}
