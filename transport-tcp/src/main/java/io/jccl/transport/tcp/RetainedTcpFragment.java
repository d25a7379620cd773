package io.jccl.transport.tcp;

import io.jccl.spi.AbstractInboundFragment;
import io.jccl.spi.InboundFragment;
import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A fragment kept beyond its callback: holds a retained slice of the read buffer (no copy) until
 * {@link #release()}. Each {@link #retain()} adds a reference that needs its own release.
 */
final class RetainedTcpFragment extends AbstractInboundFragment {
    private final ByteBuf bytes;
    private ByteBuffer data;

    RetainedTcpFragment(int peerRank, long tag, long descriptor, int messageBytes, int offsetBytes, ByteBuf bytes) {
        super(peerRank, tag, descriptor, messageBytes, offsetBytes);
        this.bytes = bytes;
    }

    @Override
    public ByteBuffer data() {
        if (bytes.refCnt() == 0) {
            throw new IllegalStateException("TCP fragment used after its release");
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
}
