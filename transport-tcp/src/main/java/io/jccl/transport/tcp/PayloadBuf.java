package io.jccl.transport.tcp;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;

/**
 * The payload of one large send, written by Netty straight from the caller's memory. It wraps the
 * whole of one caller buffer and is reused for every later send from that buffer, so a steady
 * stream of sends allocates nothing: when Netty has written it and releases it, {@link
 * #deallocate()} frees nothing, reports the send complete on the engine loop and puts the wrapper
 * back into its connection's {@link PayloadCache}.
 *
 * <p>Idle wrappers are held only through {@link #idleRef}, a weak reference, so a cached wrapper
 * never keeps a caller's buffer alive. Engine loop, except {@link #deallocate()} (any event loop).
 */
final class PayloadBuf extends ReusedDirectBuf implements Runnable {
    /** The caller's buffer this wraps: the cache's key, compared by identity. */
    final ByteBuffer memory;
    final WeakReference<PayloadBuf> idleRef = new WeakReference<>(this);
    private final PayloadCache cache;
    private long token;

    private PayloadBuf(ByteBuffer memory, PayloadCache cache) {
        super(memory);
        this.memory = memory;
        this.cache = cache;
    }

    /** A wrapper of {@code memory} (read-write direct buffers only) ready to send the given range. */
    static PayloadBuf create(ByteBuffer memory, PayloadCache cache) {
        return new PayloadBuf(memory, cache);
    }

    /** Arms this (fresh or idle) wrapper for one send of {@code [offsetBytes, offsetBytes + lengthBytes)}. */
    PayloadBuf arm(int offsetBytes, int lengthBytes, long token) {
        if (refCnt() == 0) {
            resetRefCnt();
        }
        this.token = token;
        setIndex(offsetBytes, offsetBytes + lengthBytes);
        return this;
    }

    /** Netty is done with the payload (written, or dropped with a failed channel): nothing to free. */
    @Override
    protected void deallocate() {
        if (cache.events().engineLoop().inEventLoop()) {
            run();
            return;
        }
        try {
            cache.events().engineLoop().execute(this);
        } catch (RejectedExecutionException e) {
            // the engine loop has shut down: nobody waits for this completion any more
        }
    }

    /** On the engine loop: reports the completion, then makes this wrapper reusable. */
    @Override
    public void run() {
        long t = token;
        cache.idle(this);
        cache.events().sendComplete(t);
    }
}
