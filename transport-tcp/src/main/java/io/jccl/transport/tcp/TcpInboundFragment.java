package io.jccl.transport.tcp;

import io.jccl.spi.AbstractInboundFragment;
import io.jccl.spi.InboundFragment;
import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A fragment backed by a retained slice of the buffer Netty read into (no copy). The event queue
 * owns one reference, dropped after the handler's callback; {@link #retain()} adds one for the
 * handler, so the slice stays valid until {@link #release()}. Engine thread only.
 */
final class TcpInboundFragment extends AbstractInboundFragment {
    private final ByteBuf bytes;
    private ByteBuffer data;

    TcpInboundFragment(int peerRank, long tag, long descriptor, int messageBytes, int offsetBytes, ByteBuf bytes) {
        super(peerRank, tag, descriptor, messageBytes, offsetBytes);
        this.bytes = bytes;
    }

    /** Payload length of this fragment. */
    int fragmentBytes() {
        return bytes.readableBytes();
    }

    @Override
    public ByteBuffer data() {
        if (bytes.refCnt() == 0) {
            throw new IllegalStateException("TCP fragment used after its callback or release; call retain() to keep it");
        }
        if (data == null) {
            data = bytes.nioBuffer(bytes.readerIndex(), bytes.readableBytes()).order(ByteOrder.nativeOrder());
        }
        return data;
    }

    @Override
    public InboundFragment retain() {
        bytes.retain();
        return this;
    }

    @Override
    public void release() {
        bytes.release();
    }

    void releaseQueueReference() {
        bytes.release();
    }
}
