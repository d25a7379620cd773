package io.jccl.engine;

import io.jccl.spi.InboundFragment;
import io.jccl.spi.PooledInboundFragment;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;

/**
 * A small inbound fragment the engine keeps for later (its step has not begun): copied into memory
 * of the engine's own, recycled on {@link #release()}, so early small messages cost no allocation
 * once the pool is warm. Larger fragments are retained from the transport instead (no copy). Loop
 * thread only.
 */
final class KeptFragment extends PooledInboundFragment {
    /** Fragments up to this size are copied rather than retained. */
    static final int MAX_BYTES = 4096;
    private static final int MAX_POOLED = 64;

    private final Pool pool;
    private final ByteBuffer memory = ByteBuffer.allocateDirect(MAX_BYTES).order(ByteOrder.nativeOrder());
    /** The window handed out by {@link #data()}: {@link #memory} limited to the copied bytes. */
    private final ByteBuffer data = memory.duplicate().order(ByteOrder.nativeOrder());

    private KeptFragment(Pool pool) {
        super("kept");
        this.pool = pool;
    }

    /** Recycled {@link KeptFragment}s of one engine. */
    static final class Pool {
        private final ArrayDeque<KeptFragment> free = new ArrayDeque<>();

        /** Keeps {@code f} beyond its callback: a pooled copy when small, else the transport's retain. */
        InboundFragment keep(InboundFragment f) {
            ByteBuffer src = f.data();
            int length = src.remaining();
            if (length > MAX_BYTES) {
                return f.retain();
            }
            KeptFragment k = free.poll();
            if (k == null) {
                k = new KeptFragment(this);
            }
            k.memory.put(0, src, src.position(), length);
            k.data.limit(length).position(0);
            k.reuse(f.peerRank(), f.tag(), f.descriptor(), f.messageBytes(), f.offsetBytes());
            return k;
        }

        private void recycle(KeptFragment k) {
            if (free.size() < MAX_POOLED) {
                free.push(k);
            }
        }
    }

    @Override
    public ByteBuffer data() {
        live();
        return data;
    }

    @Override
    protected void recycled() {
        pool.recycle(this);
    }
}
