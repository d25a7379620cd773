package io.jccl.transport.tcp;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;

/**
 * The idle {@link PayloadBuf}s of one connection, found by the caller buffer they wrap. A training
 * loop sends from the same few buffers call after call, so after the first calls every large send
 * finds a wrapper here. Several wrappers of one buffer may be idle at once (a pipeline has several
 * sends of one buffer in flight). Held weakly: the collector may take an idle wrapper, and then the
 * next send of its buffer makes a new one. Bounded: when full, the oldest idle wrapper is dropped.
 * Engine loop only.
 */
final class PayloadCache {
    /** Enough for a full window of in-flight sends from a handful of buffers. */
    static final int CAPACITY = 64;

    private final TransportEvents events;
    @SuppressWarnings("unchecked")
    private final WeakReference<PayloadBuf>[] idle = new WeakReference[CAPACITY];
    private int size;
    private long created;

    PayloadCache(TransportEvents events) {
        this.events = events;
    }

    TransportEvents events() {
        return events;
    }

    /** An idle wrapper of {@code memory}, or a new one; null when {@code memory} cannot be wrapped. */
    PayloadBuf take(ByteBuffer memory) {
        for (int i = size - 1; i >= 0; i--) {
            PayloadBuf p = idle[i].get();
            if (p == null || p.memory == memory) {
                idle[i] = idle[--size];
                idle[size] = null;
                if (p != null) {
                    return p;
                }
            }
        }
        if (memory.isReadOnly() || !memory.isDirect()) {
            return null;
        }
        created++;
        return PayloadBuf.create(memory, this);
    }

    /** How many wrappers this cache has made (a test checks they are reused). */
    long created() {
        return created;
    }

    /** {@code p} is written and may carry another send. */
    void idle(PayloadBuf p) {
        if (size == CAPACITY) {
            System.arraycopy(idle, 1, idle, 0, CAPACITY - 1);
            size--;
        }
        idle[size++] = p.idleRef;
    }

    /** Forgets every idle wrapper (the transport closes). */
    void clear() {
        while (size > 0) {
            idle[--size] = null;
        }
    }
}
