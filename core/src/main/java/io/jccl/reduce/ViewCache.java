package io.jccl.reduce;

import java.lang.ref.WeakReference;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Per-thread cache of native-order typed views ({@code FloatBuffer}, {@code IntBuffer}, ...) over
 * whole byte buffers. Typed views are several times faster than {@code ByteBuffer.getFloat(int)} (no
 * per-access byte-order branch, so C2 unrolls and vectorizes), but creating one allocates; the cache
 * makes the steady state allocation-free.
 *
 * <p>A view covers the buffer's whole capacity starting at a "phase" byte ({@code offset % size}),
 * so element {@code offsetBytes / size} of the view starts exactly at {@code offsetBytes}. Both the
 * buffer and its view are held weakly: a view references its buffer, so holding it strongly would
 * keep dropped (possibly huge, direct) buffers alive. The price is re-creating a view after a GC
 * cleared it.
 *
 * <p>Not thread-safe by design: each thread has its own instance.
 */
final class ViewCache {
    static final int SHORT = 0;
    static final int INT = 1;
    static final int LONG = 2;
    static final int FLOAT = 3;
    static final int DOUBLE = 4;
    /** The whole capacity as bytes (phase 0): absolute byte access must not be bounded by the caller's limit. */
    static final int BYTE = 5;

    private static final int SLOTS = 64;
    private static final ThreadLocal<ViewCache> PER_THREAD = ThreadLocal.withInitial(ViewCache::new);

    private final Entry[] entries = new Entry[SLOTS];

    private static final class Entry {
        WeakReference<ByteBuffer> owner;
        WeakReference<Buffer> view;
        int key;
    }

    private ViewCache() {
        for (int i = 0; i < SLOTS; i++) {
            entries[i] = new Entry();
        }
    }

    static ViewCache current() {
        return PER_THREAD.get();
    }

    /**
     * A native-order view of {@code kind} over {@code buffer} whose element {@code offsetBytes >> log2(size)}
     * starts at byte {@code offsetBytes}.
     */
    Buffer view(ByteBuffer buffer, int kind, int offsetBytes, int sizeBytes) {
        int phase = offsetBytes & (sizeBytes - 1);
        int key = (kind << 3) | phase;
        int slot = (System.identityHashCode(buffer) * 0x9E37_79B9 + key * 0x61C8_8647) >>> (32 - 6);
        Entry e = entries[slot];
        WeakReference<ByteBuffer> owner = e.owner;
        if (owner != null && e.key == key && owner.get() == buffer) {
            Buffer cached = e.view.get();
            if (cached != null) {
                return cached;
            }
        }
        Buffer created = create(buffer, kind, phase);
        e.owner = owner != null && owner.get() == buffer ? owner : new WeakReference<>(buffer);
        e.view = new WeakReference<>(created);
        e.key = key;
        return created;
    }

    private static Buffer create(ByteBuffer buffer, int kind, int phase) {
        // duplicate() + clear() reaches the whole capacity without touching the caller's position/limit.
        ByteBuffer whole = buffer.duplicate();
        whole.clear();
        if (kind == BYTE) {
            return whole;
        }
        whole.position(phase);
        ByteBuffer bytes = whole.slice().order(ByteOrder.nativeOrder());
        switch (kind) {
            case SHORT: return bytes.asShortBuffer();
            case INT: return bytes.asIntBuffer();
            case LONG: return bytes.asLongBuffer();
            case FLOAT: return bytes.asFloatBuffer();
            case DOUBLE: return bytes.asDoubleBuffer();
            default: throw new IllegalArgumentException("unknown view kind " + kind);
        }
    }
}
