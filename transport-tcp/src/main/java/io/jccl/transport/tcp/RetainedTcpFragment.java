package io.jccl.transport.tcp;

import io.jccl.spi.PooledInboundFragment;
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
final class RetainedTcpFragment extends PooledInboundFragment {
    /** Null for a fragment over a slice (not pooled). */
    private final Pool pool;
    /** The read buffer (pooled fragments) or a retained slice of it; null once released. */
    private ByteBuf bytes;
    /** The fragment's bytes between position and limit; lent by {@link #bytes} when pooled. */
    private ByteBuffer view;

    private RetainedTcpFragment(Pool pool) {
        super("TCP");
        this.pool = pool;
    }

    /** Keeps {@code length} bytes at {@code index} of {@code buffer}, which gains a reference. */
    static RetainedTcpFragment keep(Pool pool, int peerRank, long tag, long descriptor, int messageBytes,
                                    int offsetBytes, RecyclingBuf buffer, int index, int length) {
        RetainedTcpFragment f = pool.take();
        f.reuse(peerRank, tag, descriptor, messageBytes, offsetBytes);
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
        f.reuse(peerRank, tag, descriptor, messageBytes, offsetBytes);
        f.bytes = retainedSlice;
        return f;
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
    protected void recycled() {
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
