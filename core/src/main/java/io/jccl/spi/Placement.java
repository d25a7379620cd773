package io.jccl.spi;

import java.nio.ByteBuffer;

/**
 * Where a transport may write the rest of an inbound payload itself, straight from the socket,
 * instead of handing it over as fragments the engine copies: filled in by {@link
 * TransportHandler#place}. A transport owns one instance per connection and reuses it, so asking
 * allocates nothing.
 *
 * <p>The region {@code memory[offsetBytes, offsetBytes + lengthBytes)} is the rest of the message's
 * destination. The transport may write any prefix of it and must then report exactly those bytes
 * at once, before it asks again or delivers anything else of that connection, as a fragment whose
 * {@link InboundFragment#placed()} is true. Only absolute writes; position and limit of {@code
 * memory} are the caller's and must not be touched.
 */
public final class Placement {
    ByteBuffer memory;
    int offsetBytes;
    int lengthBytes;

    /** The destination buffer (the caller's memory: absolute writes only). */
    public ByteBuffer memory() {
        return memory;
    }

    /** Byte offset in {@link #memory()} where the next payload byte belongs. */
    public int offsetBytes() {
        return offsetBytes;
    }

    /** Bytes of the message still to come, all of which belong in the region. */
    public int lengthBytes() {
        return lengthBytes;
    }

    /** Fills in the region; called by the handler. */
    public void set(ByteBuffer memory, int offsetBytes, int lengthBytes) {
        this.memory = memory;
        this.offsetBytes = offsetBytes;
        this.lengthBytes = lengthBytes;
    }

    /** Forgets the region (so a finished placement keeps no caller memory alive). */
    public void clear() {
        memory = null;
        offsetBytes = 0;
        lengthBytes = 0;
    }
}
