package io.jccl.transport.tcp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;

/**
 * A direct buffer of fixed capacity that goes back to its {@link Pool} when Netty releases it, so
 * the frames JCCL writes and the buffers it reads into are reused instead of allocated per message.
 * Its memory is a plain {@link ByteBuffer#allocateDirect} buffer that the collector frees once a
 * dropped buffer is unreachable; nothing needs an explicit free. Made outside Netty's allocators,
 * so Netty's sampling leak detector (which allocates a stack trace per sample) does not see it.
 */
final class RecyclingBuf extends ReusedDirectBuf {
    private final Pool pool;

    /** All of this buffer's memory; {@link #lendView} hands out duplicates of it. */
    private final ByteBuffer memory;
    /** Views of {@link #memory} not lent at present; guarded by itself. */
    private final ArrayDeque<ByteBuffer> idleViews = new ArrayDeque<>(2);

    private RecyclingBuf(Pool pool, int capacityBytes) {
        this(pool, ByteBuffer.allocateDirect(capacityBytes));
    }

    private RecyclingBuf(Pool pool, ByteBuffer memory) {
        super(memory);
        this.memory = memory;
        this.pool = pool;
    }

    /**
     * A native-order view of all of this buffer's memory for a {@link RetainedTcpFragment} (which
     * holds a reference to the buffer meanwhile), to be given back with {@link #returnView}. Views are
     * made once and reused as long as the buffer lives, so lending allocates nothing once warm.
     * Thread-safe: a view may be lent on one thread and given back on another.
     */
    ByteBuffer lendView() {
        ByteBuffer v;
        synchronized (idleViews) {
            v = idleViews.poll();
        }
        return v != null ? v : memory.duplicate().order(ByteOrder.nativeOrder());
    }

    void returnView(ByteBuffer view) {
        synchronized (idleViews) {
            idleViews.push(view);
        }
    }

    /**
     * Makes this empty buffer report a capacity of {@code bytes} (at most its real one), so that a
     * socket read into it stops after that many bytes; see {@link FrameDecoder#readBoundBytes()}.
     * The bound lasts until the buffer goes back to its pool.
     */
    RecyclingBuf bound(int bytes) {
        endAt(Math.min(bytes, memory.capacity()));
        return this;
    }

    /** Back to the pool instead of freeing: the memory stays with this object. */
    @Override
    protected void deallocate() {
        endAt(0);
        pool.give(this);
    }

    /**
     * Idle buffers of one size, for one connection. Thread-safe: buffers are taken on one event
     * loop and may be released on another (a fragment the engine kept), so a lock guards the stack;
     * it is uncontended with one I/O thread. Holds at most {@code maxIdle} idle buffers and drops the
     * rest to the collector.
     */
    static final class Pool {
        private final int capacityBytes;
        private final RecyclingBuf[] idle;
        private int size;
        private long created;

        Pool(int capacityBytes, int maxIdle) {
            this.capacityBytes = capacityBytes;
            this.idle = new RecyclingBuf[maxIdle];
        }

        int capacityBytes() {
            return capacityBytes;
        }

        /** An empty buffer (reader and writer index 0) with one reference, owned by the caller. */
        RecyclingBuf take() {
            RecyclingBuf b;
            synchronized (this) {
                if (size == 0) {
                    created++;
                    b = null;
                } else {
                    b = idle[--size];
                    idle[size] = null;
                }
            }
            if (b == null) {
                b = new RecyclingBuf(this, capacityBytes);
            } else {
                b.resetRefCnt();
            }
            b.clear();
            return b;
        }

        private synchronized void give(RecyclingBuf b) {
            if (size < idle.length) {
                idle[size++] = b;
            }
        }

        /** How many buffers this pool has made (a test checks they are reused). */
        synchronized long created() {
            return created;
        }
    }
}
