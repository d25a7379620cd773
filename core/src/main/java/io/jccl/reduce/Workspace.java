package io.jccl.reduce;

import java.lang.ref.WeakReference;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Per-thread state of the kernels: a cache of native-order typed views ({@code FloatBuffer},
 * {@code IntBuffer}, ...) over whole byte buffers, and two heap chunk arrays per element type.
 *
 * <p>Why chunk arrays: C2 does not auto-vectorize loops over buffer views (on JDK 17 nor 25): every
 * element access is an {@code Unsafe} access to raw memory, and the loop's loads and stores through
 * different views might alias, so it stays a scalar loop. Loops over {@code float[]} etc. vectorize.
 * The kernels therefore copy a chunk of each operand into the arrays with the views' bulk
 * {@code get(int, T[], int, int)} (an intrinsic memory copy, working at any alignment), combine
 * array against array, and bulk-{@code put} the result. (Exception: on JDK 25 a loop that only
 * <em>stores</em> through a direct view vectorizes, so the final copy is skipped there; see
 * {@link ViewStores}.) The chunk stays in L1, so the extra copies
 * cost little next to the vector speed-up, and memory traffic is the same as a plain C loop's.
 *
 * <p>A view covers the buffer's whole capacity starting at a "phase" byte ({@code offset % size}),
 * so element {@code offsetBytes / size} of the view starts exactly at {@code offsetBytes}: any byte
 * offset works, not only element-aligned ones (the engine's fragments can start anywhere). Both the
 * buffer and its view are held weakly: a view references its buffer, so holding it strongly would
 * keep dropped (possibly huge, direct) buffers alive. The price is re-creating a view after a GC
 * cleared it. Chunk arrays are created on first use per type, then reused: the steady state
 * allocates nothing.
 *
 * <p>Not thread-safe by design: each thread has its own instance.
 */
final class Workspace {
    static final int SHORT = 0;
    static final int INT = 1;
    static final int LONG = 2;
    static final int FLOAT = 3;
    static final int DOUBLE = 4;
    /** The whole capacity as bytes (phase 0): absolute byte access must not be bounded by the caller's limit. */
    static final int BYTE = 5;

    /**
     * Bytes per chunk array. Two operand chunks must stay in L1 next to the streamed data (48 KiB
     * L1d on current x86); much smaller chunks pay the per-chunk call and loop set-up too often.
     */
    static final int CHUNK_BYTES = 8192;

    // Elements per chunk array, as constants: C2 of JDK 25 vectorizes a view-store loop (ViewStores)
    // whose trip count is bounded by a constant, but not one bounded by the array's length.
    static final int SHORTS = CHUNK_BYTES / 2;
    static final int INTS = CHUNK_BYTES / 4;
    static final int LONGS = CHUNK_BYTES / 8;
    static final int FLOATS = CHUNK_BYTES / 4;
    static final int DOUBLES = CHUNK_BYTES / 8;

    private static final int SET_BITS = 4;
    private static final int WAYS = 4;
    private static final int SLOTS = WAYS << SET_BITS;
    private static final ThreadLocal<Workspace> PER_THREAD = ThreadLocal.withInitial(Workspace::new);

    private final Entry[] entries = new Entry[SLOTS];
    /** Per set, the way to evict next when all are in use (round robin). */
    private final byte[] nextVictim = new byte[1 << SET_BITS];

    /** Set-associative cache of native addresses of direct buffers, for {@link NativeKernels}. */
    private static final int ADDRESS_SET_BITS = 2;
    @SuppressWarnings("unchecked")
    private final WeakReference<ByteBuffer>[] addressOwners = new WeakReference[WAYS << ADDRESS_SET_BITS];
    private final long[] addresses = new long[WAYS << ADDRESS_SET_BITS];
    private final byte[] nextAddressVictim = new byte[1 << ADDRESS_SET_BITS];

    private byte[] bytesX;
    private byte[] bytesY;
    private short[] shortsX;
    private short[] shortsY;
    private int[] intsX;
    private int[] intsY;
    private long[] longsX;
    private long[] longsY;
    private float[] floatsX;
    private float[] floatsY;
    private double[] doublesX;
    private double[] doublesY;

    private static final class Entry {
        WeakReference<ByteBuffer> owner;
        WeakReference<Buffer> view;
        int key;
    }

    private Workspace() {
        for (int i = 0; i < SLOTS; i++) {
            entries[i] = new Entry();
        }
    }

    static Workspace current() {
        return PER_THREAD.get();
    }

    /**
     * A native-order view of {@code kind} over {@code buffer} whose element {@code offsetBytes >> log2(size)}
     * starts at byte {@code offsetBytes}.
     */
    Buffer view(ByteBuffer buffer, int kind, int offsetBytes, int sizeBytes) {
        int phase = offsetBytes & (sizeBytes - 1);
        int key = (kind << 3) | phase;
        // Set-associative (4 ways): a few hot buffers whose hashes meet in one set must not evict
        // each other on every call.
        int set = (System.identityHashCode(buffer) * 0x9E37_79B9 + key * 0x61C8_8647) >>> (32 - SET_BITS);
        int base = set * WAYS;
        int victim = -1;
        for (int w = 0; w < WAYS; w++) {
            Entry e = entries[base + w];
            WeakReference<ByteBuffer> owner = e.owner;
            ByteBuffer o = owner == null ? null : owner.get();
            if (o == buffer && e.key == key) {
                Buffer cached = e.view.get();
                if (cached != null) {
                    return cached;
                }
            }
            if (victim < 0 && (o == null || e.view == null || e.view.get() == null)) {
                victim = base + w;
            }
        }
        if (victim < 0) {
            victim = base + (nextVictim[set]++ & (WAYS - 1));
        }
        Entry e = entries[victim];
        Buffer created = create(buffer, kind, phase);
        WeakReference<ByteBuffer> owner = e.owner;
        e.owner = owner != null && owner.get() == buffer ? owner : new WeakReference<>(buffer);
        e.view = new WeakReference<>(created);
        e.key = key;
        return created;
    }

    /**
     * The native address of direct {@code buffer}'s first byte (a buffer object's address never
     * changes), asked from the JVM once per buffer object and then cached, weakly like the views: the
     * JNI lookup costs more than the rest of a small native reduction.
     */
    long address(ByteBuffer buffer) {
        // Ways, as for the views: two hot buffers whose hashes meet must not evict each other per call.
        int set = addressSet(buffer);
        int base = set * WAYS;
        int i = -1;
        for (int w = 0; w < WAYS; w++) {
            WeakReference<ByteBuffer> owner = addressOwners[base + w];
            ByteBuffer o = owner == null ? null : owner.get();
            if (o == buffer) {
                return addresses[base + w];
            }
            if (i < 0 && o == null) {
                i = base + w;
            }
        }
        if (i < 0) {
            i = base + (nextAddressVictim[set]++ & (WAYS - 1));
        }
        long address = NativeKernels.address(buffer);
        addressOwners[i] = new WeakReference<>(buffer);
        addresses[i] = address;
        return address;
    }

    /** The set of {@link #address}'s cache that {@code buffer} maps to (tests pick colliding buffers with it). */
    static int addressSet(ByteBuffer buffer) {
        return (System.identityHashCode(buffer) * 0x9E37_79B9) >>> (32 - ADDRESS_SET_BITS);
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

    // Chunk arrays: X receives the first operand and then the result, Y the second operand.

    byte[] bytesX() {
        byte[] x = bytesX;
        return x != null ? x : (bytesX = new byte[CHUNK_BYTES]);
    }

    byte[] bytesY() {
        byte[] y = bytesY;
        return y != null ? y : (bytesY = new byte[CHUNK_BYTES]);
    }

    short[] shortsX() {
        short[] x = shortsX;
        return x != null ? x : (shortsX = new short[SHORTS]);
    }

    short[] shortsY() {
        short[] y = shortsY;
        return y != null ? y : (shortsY = new short[SHORTS]);
    }

    int[] intsX() {
        int[] x = intsX;
        return x != null ? x : (intsX = new int[INTS]);
    }

    int[] intsY() {
        int[] y = intsY;
        return y != null ? y : (intsY = new int[INTS]);
    }

    long[] longsX() {
        long[] x = longsX;
        return x != null ? x : (longsX = new long[LONGS]);
    }

    long[] longsY() {
        long[] y = longsY;
        return y != null ? y : (longsY = new long[LONGS]);
    }

    float[] floatsX() {
        float[] x = floatsX;
        return x != null ? x : (floatsX = new float[FLOATS]);
    }

    float[] floatsY() {
        float[] y = floatsY;
        return y != null ? y : (floatsY = new float[FLOATS]);
    }

    double[] doublesX() {
        double[] x = doublesX;
        return x != null ? x : (doublesX = new double[DOUBLES]);
    }

    double[] doublesY() {
        double[] y = doublesY;
        return y != null ? y : (doublesY = new double[DOUBLES]);
    }
}
