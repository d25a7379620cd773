package io.jccl.transport.tcp;

import io.jccl.spi.InboundFragment;
import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The fragment a {@link FrameDecoder} hands to the engine: a window on the buffer Netty just read
 * into, reused for every fragment of that connection, so delivery allocates nothing. It is valid
 * only during the handler's callback; {@link #retain()} makes a {@link RetainedTcpFragment} that
 * keeps the bytes (a reference to the read buffer, still no copy). Event-loop thread only.
 */
final class TcpInboundFragment implements InboundFragment {
    private static final ByteBuffer EMPTY = ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder());
    /** Fragments up to this size are copied into {@link #small} by {@link #data()}: no view is made. */
    static final int COPY_MAX_BYTES = 4096;

    private final int peerRank;
    private long tag;
    private long descriptor;
    private int messageBytes;
    private int offsetBytes;
    private ByteBuf bytes;
    private int index;
    private int length;
    /** This decoder's copy buffer for small fragments; {@link #smallView} is its window. */
    private final ByteBuffer small = ByteBuffer.allocateDirect(COPY_MAX_BYTES).order(ByteOrder.nativeOrder());
    private final ByteBuffer smallView = small.duplicate().order(ByteOrder.nativeOrder());
    private boolean copied;
    private boolean placed;
    /** Recycles what {@link #retain()} hands out. */
    private final RetainedTcpFragment.Pool retained = new RetainedTcpFragment.Pool();

    TcpInboundFragment(int peerRank) {
        this.peerRank = peerRank;
    }

    TcpInboundFragment open(long tag, long descriptor, int messageBytes, int offsetBytes, ByteBuf bytes, int index,
                            int length) {
        this.tag = tag;
        this.descriptor = descriptor;
        this.messageBytes = messageBytes;
        this.offsetBytes = offsetBytes;
        this.bytes = bytes;
        this.index = index;
        this.length = length;
        this.copied = false;
        this.placed = false;
        return this;
    }

    /** Like {@link #open}, for bytes Netty read straight into their destination. */
    TcpInboundFragment openPlaced(long tag, long descriptor, int messageBytes, int offsetBytes, ByteBuf bytes,
                                  int index, int length) {
        open(tag, descriptor, messageBytes, offsetBytes, bytes, index, length);
        this.placed = true;
        return this;
    }

    @Override
    public boolean placed() {
        return placed;
    }

    void close() {
        bytes = null;
    }

    private ByteBuf bytes() {
        ByteBuf b = bytes;
        if (b == null) {
            throw new IllegalStateException("TCP fragment used after its callback returned; call retain() to keep it");
        }
        return b;
    }

    @Override
    public int peerRank() {
        return peerRank;
    }

    @Override
    public long tag() {
        return tag;
    }

    @Override
    public long descriptor() {
        return descriptor;
    }

    @Override
    public int messageBytes() {
        return messageBytes;
    }

    @Override
    public int offsetBytes() {
        return offsetBytes;
    }

    /**
     * A small fragment is copied into a buffer this decoder reuses; a larger one is Netty's
     * internal view of the read buffer, positioned on the fragment. Either way nothing is
     * allocated per small message. Only absolute reads are allowed. Netty uses its internal view
     * for bulk transfers only, so setting its byte order is harmless.
     */
    @Override
    public ByteBuffer data() {
        ByteBuf b = bytes();
        if (length == 0) {
            return EMPTY;
        }
        if (length <= COPY_MAX_BYTES && !placed) {
            if (!copied) {
                // Through the buffer's cached internal view: getBytes(int, ByteBuffer) of a plain
                // direct buffer would duplicate its NIO buffer on every call.
                ByteBuffer view = b.internalNioBuffer(index, length);
                small.clear().put(0, view, view.position(), length);
                copied = true;
            }
            return smallView.limit(length).position(0);
        }
        return b.internalNioBuffer(index, length).order(ByteOrder.nativeOrder());
    }

    /**
     * Keeps the bytes: over one of the socket's read buffers, a pooled fragment with a view the buffer
     * lends (nothing allocated once warm); over any other buffer, a retained slice.
     */
    @Override
    public RetainedTcpFragment retain() {
        ByteBuf b = bytes();
        if (b instanceof RecyclingBuf) {
            return RetainedTcpFragment.keep(retained, peerRank, tag, descriptor, messageBytes, offsetBytes,
                    (RecyclingBuf) b, index, length);
        }
        return RetainedTcpFragment.keepSlice(peerRank, tag, descriptor, messageBytes, offsetBytes,
                length == 0 ? b.alloc().directBuffer(0) : b.retainedSlice(index, length));
    }

    @Override
    public void release() {
        throw new IllegalStateException("release() is for fragments returned by retain()");
    }
}
