package io.jccl.spi;

import java.nio.ByteBuffer;

/** The sending path from this rank to one peer. Engine thread only. */
public interface Connection {

    int peerRank();

    /**
     * Posts a message whose payload is {@code memory[offsetBytes, offsetBytes + lengthBytes)}
     * (absolute indices; the buffer's position and limit are ignored and left alone). The
     * transport sends straight from that memory, so the caller must not change it until
     * {@link TransportHandler#onSendComplete(long)} reports {@code token}.
     *
     * @return true when posted; false when back-pressured (nothing was sent; post again later)
     */
    boolean postSend(long tag, long descriptor, ByteBuffer memory, int offsetBytes, int lengthBytes, long token);
}
