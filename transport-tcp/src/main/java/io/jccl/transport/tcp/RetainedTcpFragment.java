package io.jccl.transport.tcp;

import io.jccl.spi.InboundFragment;
import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;

/**
 * A fragment kept beyond its callback, without a copy: it holds a reference to the buffer the bytes
 * arrived in until its last {@link #release()} (each {@link #retain()} adds one).
 *
 * <p>Over a {@link RecyclingBuf}, the usual case, nothing is allocated once warm: the fragment comes
 * from its decoder's {@link Pool}, and its view of the bytes is lent by the buffer, which keeps its
 * views as long as it lives. A lent view is thus the same object read after read, which also keeps
 * the reduce kernels' view cache warm; a fresh slice per kept fragment made the kernels build new
 * typed views (and their weak references) for every one. Over any other buffer the fragment holds a
 * retained slice and is not pooled.
 *
 * <p>References are counted on the engine's loop thread. The pool is thread-safe: a fragment is
 * taken on its connection's I/O thread and may be released on the engine's.
 */
final class RetainedTcpFragment implements InboundFragment {
    private final Pool pool;
    private int peerRank;
    private long tag;
    private long descriptor;
    private int messageBytes;
    private int offsetBytes;
    /** The read buffer (pooled fragments) or a retained slice of it; null once released. */
    private ByteBuf bytes;
    /** The fragment's bytes between position and limit; lent by {@link #bytes} when pooled. */
    private ByteBuffer view;
    private int references;

    private RetainedTcpFragment(Pool pool) {
        this.pool = pool;
    }

    /** Keeps {@code length} bytes at {@code index} of {@code buffer}, which gains a reference. */
    static RetainedTcpFragment keep(Pool pool, int peerRank, long tag, long descriptor, int messageBytes,
                                    int offsetBytes, RecyclingBuf buffer, int index, int length) {
        RetainedTcpFragment f = pool.take();
        f.header(peerRank, tag, descriptor, messageBytes, offsetBytes);
        f.bytes = buffer.retain();
        ByteBuffer v = buffer.lendView();
        v.clear();
        v.limit(index + length).position(index);
        f.view = v;
        return f;
    }

    /** Keeps a slice the caller has already retained (one reference, handed over). */
    static RetainedTcpFragment keepSlice(int peerRank, long tag, long descriptor, int messageBytes, int offsetBytes,
                                         ByteBuf retainedSlice) {
        RetainedTcpFragment f = new RetainedTcpFragment(null);
        f.header(peerRank, tag, descriptor, messageBytes, offsetBytes);
        f.bytes = retainedSlice;
        return f;
    }

    private void header(int peerRank, long tag, long descriptor, int messageBytes, int offsetBytes) {
        this.peerRank = peerRank;
        this.tag = tag;
        this.descriptor = descriptor;
        this.messageBytes = messageBytes;
        this.offsetBytes = offsetBytes;
        this.references = 1;
    }

    private void live() {
        if (references <= 0) {
            throw new IllegalStateException("TCP fragment used after its release");
        }
    }

    @Override
    public int peerRank() {
        live();
        return peerRank;
    }

    @Override
    public long tag() {
        live();
        return tag;
    }

    @Override
    public long descriptor() {
        live();
        return descriptor;
    }

    @Override
    public int messageBytes() {
        live();
        return messageBytes;
    }

    @Override
    public int offsetBytes() {
        live();
        return offsetBytes;
    }

    @Override
    public ByteBuffer data() {
        live();
        ByteBuffer v = view;
        if (v == null) {
            ByteBuf b = bytes;
            v = view = b.nioBuffer(b.readerIndex(), b.readableBytes()).order(ByteOrder.nativeOrder());
        }
        return v;
    }

    @Override
    public InboundFragment retain() {
        live();
        references++;
        return this;
    }

    @Override
    public void release() {
        live();
        if (--references > 0) {
            return;
        }
        ByteBuf b = bytes;
        ByteBuffer v = view;
        bytes = null;
        view = null;
        if (pool != null) {
            ((RecyclingBuf) b).returnView(v);
            b.release();
            pool.give(this);
        } else {
            b.release();
        }
    }

    /** Recycled fragments of one socket. Thread-safe (see the class comment). */
    static final class Pool {
        private static final int MAX_IDLE = 64;
        private final ArrayDeque<RetainedTcpFragment> idle = new ArrayDeque<>();

        RetainedTcpFragment take() {
            RetainedTcpFragment f;
            synchronized (this) {
                f = idle.poll();
            }
            return f != null ? f : new RetainedTcpFragment(this);
        }

        private synchronized void give(RetainedTcpFragment f) {
            if (idle.size() < MAX_IDLE) {
                idle.push(f);
            }
        }
    }
}
