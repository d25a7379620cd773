package io.jccl.transport.tcp;

import java.nio.ByteBuffer;

/**
 * A direct buffer of fixed capacity that goes back to its {@link Pool} when Netty releases it, so
 * the frames JCCL writes and the buffers it reads into are reused instead of allocated per message.
 * Its memory is a plain {@link ByteBuffer#allocateDirect} buffer that the collector frees once a
 * dropped buffer is unreachable; nothing needs an explicit free. Made outside Netty's allocators,
 * so Netty's sampling leak detector (which allocates a stack trace per sample) does not see it.
 */
final class RecyclingBuf extends ReusedDirectBuf {
    private final Pool pool;

    private RecyclingBuf(Pool pool, int capacityBytes) {
        super(ByteBuffer.allocateDirect(capacityBytes));
        this.pool = pool;
    }

    /** Back to the pool instead of freeing: the memory stays with this object. */
    @Override
    protected void deallocate() {
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
