package io.jccl.transport.loopback;

import io.jccl.spi.AbstractInboundFragment;
import io.jccl.spi.InboundFragment;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The fragment a {@link LoopbackTransport} hands to its handler: a view of the sender's memory,
 * valid only during the callback (it is reused, and touching it afterwards throws so engine bugs
 * show up early). {@link #retain()} copies the bytes into a {@link CopiedFragment}.
 */
final class LoopbackFragment implements InboundFragment {
    private LoopbackTransport.Delivery delivery;
    private int offsetBytes;
    private ByteBuffer view;
    private ByteBuffer data;

    void open(LoopbackTransport.Delivery delivery, int offsetBytes, int fragmentBytes) {
        this.delivery = delivery;
        this.offsetBytes = offsetBytes;
        this.view = delivery.payload.slice(offsetBytes, fragmentBytes).order(ByteOrder.nativeOrder());
        this.data = null;
    }

    void close() {
        delivery = null;
        view = null;
        data = null;
    }

    private LoopbackTransport.Delivery current() {
        LoopbackTransport.Delivery d = delivery;
        if (d == null) {
            throw new IllegalStateException("loopback fragment used after its callback returned; call retain() to keep it");
        }
        return d;
    }

    @Override
    public int peerRank() {
        return current().senderRank;
    }

    @Override
    public long tag() {
        return current().tag;
    }

    @Override
    public long descriptor() {
        return current().descriptor;
    }

    @Override
    public int messageBytes() {
        return current().payload.remaining();
    }

    @Override
    public int offsetBytes() {
        current();
        return offsetBytes;
    }

    @Override
    public ByteBuffer data() {
        current();
        if (data == null) {
            // A fresh view per callback: the handler may move it; the copy in retain() uses the pristine one.
            data = view.duplicate().order(ByteOrder.nativeOrder());
        }
        return data;
    }

    @Override
    public InboundFragment retain() {
        LoopbackTransport.Delivery d = current();
        ByteBuffer copy = ByteBuffer.allocateDirect(view.capacity());
        copy.put(0, view, 0, view.capacity());
        return new CopiedFragment(d.senderRank, d.tag, d.descriptor, d.payload.remaining(), offsetBytes,
                copy.order(ByteOrder.nativeOrder()));
    }

    @Override
    public void release() {
        throw new IllegalStateException("release() is for fragments returned by retain()");
    }

    /** A retained fragment: a private copy, valid until {@link #release()}. */
    private static final class CopiedFragment extends AbstractInboundFragment {
        private ByteBuffer data;

        CopiedFragment(int peerRank, long tag, long descriptor, int messageBytes, int offsetBytes, ByteBuffer data) {
            super(peerRank, tag, descriptor, messageBytes, offsetBytes);
            this.data = data;
        }

        @Override
        public ByteBuffer data() {
            ByteBuffer d = data;
            if (d == null) {
                throw new IllegalStateException("retained loopback fragment used after release()");
            }
            return d;
        }

        @Override
        public InboundFragment retain() {
            return new CopiedFragment(peerRank(), tag(), descriptor(), messageBytes(), offsetBytes(), data());
        }

        @Override
        public void release() {
            data();
            data = null;
        }
    }
}
