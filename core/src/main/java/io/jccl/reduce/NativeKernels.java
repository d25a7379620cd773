package io.jccl.reduce;

import io.jccl.DataType;
import io.jccl.ReduceOp;
import io.jccl.config.CoreOptions;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The native reduce kernels ({@code src/main/c/reduce_loops.c}, behind the JNI glue in
 * {@code jccl_reduce.c}): vectorized C loops that combine
 * direct buffers in place, reached through JNI. The Java kernels must copy chunks of direct
 * memory into heap arrays before the JIT vectorizes anything (see {@link Workspace}); these loops
 * read the operands where they lie, and are built for AVX-512, AVX2 and a baseline, the best one the
 * CPU has picked at load time. Their results are bit for bit those of the Java kernels; the tests run both.
 *
 * <p>They cover FLOAT32, FLOAT64, INT32, INT64, FLOAT16, BFLOAT16, INT8 and UINT8 with SUM, PROD, MIN,
 * MAX and AVG, when every operand is a direct buffer; everything else (heap buffers, bitwise ops)
 * stays in Java.
 *
 * <p>Loading, once per JVM: {@link CoreOptions#REDUCE_KERNELS} ({@code jccl.reduce.kernels} or
 * {@code JCCL_REDUCE_KERNELS}) chooses {@code auto} (load the library bundled in the jar for this
 * platform, else use Java), {@code native} (the first reduction fails with the reason if it cannot
 * load) or {@code java}. The library is copied from the jar to a temporary file and loaded from
 * there. JDK 22 and later print a warning for the load unless the JVM has
 * {@code --enable-native-access=ALL-UNNAMED}; no flag is needed.
 *
 * <p>Thread-safe: the loops share nothing. A JNI call costs tens of nanoseconds, so {@link Reductions}
 * sends only calls past the small-count kernels here, and the calls pass raw addresses, which the
 * {@link Workspace} caches per buffer, rather than the buffers (the JVM's lookup of a buffer's address
 * costs more than the loop over a few hundred bytes).
 */
final class NativeKernels {
    /** Must equal ABI_VERSION in jccl_reduce.h: a stale library is refused, not misused. */
    static final int ABI_VERSION = 4;

    private static final int T_F32 = 0;
    private static final int T_F64 = 1;
    private static final int T_I32 = 2;
    private static final int T_I64 = 3;
    private static final int T_F16 = 4;
    private static final int T_BF16 = 5;
    private static final int T_I8 = 6;
    private static final int T_U8 = 7;
    private static final int OP_SUM = 0;
    private static final int OP_PROD = 1;
    private static final int OP_MIN = 2;
    private static final int OP_MAX = 3;

    /** The ISA levels the loops are built for, by the code the library uses (ISA_V4, ISA_V3, ISA_BASE). */
    static final String[] ISAS = {"x86-64-v4 (AVX-512)", "x86-64-v3 (AVX2)", "x86-64 (baseline)"};

    /** The configured mode: auto, native or java. */
    static final String MODE;
    /** Why the library is not in use; {@code null} when it is. */
    static final Throwable UNAVAILABLE;
    /** Whether {@link Reductions} uses these kernels. */
    static final boolean ENABLED;
    /** The ISA level the library chose for this CPU (an index into {@link #ISAS}); -1 if not loaded. */
    static final int DEFAULT_ISA;

    static {
        String mode;
        Throwable unavailable;
        try {
            String raw = System.getProperty(CoreOptions.REDUCE_KERNELS.property());
            if (raw == null) {
                raw = System.getenv(CoreOptions.REDUCE_KERNELS.env());
            }
            mode = raw == null ? CoreOptions.REDUCE_KERNELS.defaultValue() : CoreOptions.REDUCE_KERNELS.parse(raw);
            unavailable = mode.equals("java")
                    ? new IllegalStateException("native reduce kernels disabled by jccl.reduce.kernels=java")
                    : load();
        } catch (IllegalArgumentException e) {
            mode = "invalid";
            unavailable = new IllegalArgumentException("Invalid jccl.reduce.kernels / JCCL_REDUCE_KERNELS: "
                    + e.getMessage(), e);
        }
        MODE = mode;
        UNAVAILABLE = unavailable;
        ENABLED = unavailable == null;
        DEFAULT_ISA = ENABLED ? isa0() : -1;
    }

    private NativeKernels() {
    }

    /**
     * Throws when the configuration cannot be honoured: an invalid mode, or {@code native} without a
     * loadable library. Called by every reduction, so a bad setting fails the first collective loudly.
     */
    static void checkConfiguration() {
        checkConfiguration(MODE, UNAVAILABLE);
    }

    /** {@link #checkConfiguration()} for a given mode and load outcome ({@code unavailable == null}: loaded). */
    static void checkConfiguration(String mode, Throwable unavailable) {
        if (unavailable == null || mode.equals("auto") || mode.equals("java")) {
            return;
        }
        if (unavailable instanceof IllegalArgumentException) {
            throw (IllegalArgumentException) unavailable;
        }
        throw new IllegalStateException("jccl.reduce.kernels=native but the native kernels cannot be loaded: "
                + unavailable.getMessage() + ". Fix that, or use auto (falls back to Java) or java", unavailable);
    }

    /** Whether these kernels handle {@code type} and {@code op} (the buffers must be direct as well). */
    static boolean covers(DataType type, ReduceOp op) {
        return typeCode(type) >= 0 && opCode(op) >= 0;
    }

    /**
     * {@link Reductions#reduce} for direct buffers, {@link #covers covered} types and ops; the caller
     * has checked the ranges and that {@code dst} is writable.
     */
    static void reduce(DataType type, ReduceOp op, ByteBuffer dst, int dstOffsetBytes, ByteBuffer a, int aOffsetBytes,
                       ByteBuffer b, int bOffsetBytes, int count, int divisor) {
        Workspace w = Workspace.current();
        long d = w.address(dst) + dstOffsetBytes;
        long x = w.address(a) + aOffsetBytes;
        long y = w.address(b) + bOffsetBytes;
        reduce0(typeCode(type), opCode(op), d, x, y, count, divisor);
        // The call has only addresses: the buffers (whose cleaners free the memory) must outlive it.
        Reference.reachabilityFence(dst);
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
    }

    /** {@link Reductions#divide} for a direct, writable buffer of a covered type; {@code divisor > 1}. */
    static void divide(DataType type, ByteBuffer buf, int offsetBytes, int count, int divisor) {
        divide0(typeCode(type), Workspace.current().address(buf) + offsetBytes, count, divisor);
        Reference.reachabilityFence(buf);
    }

    /** The ISA level in use, e.g. "x86-64-v4 (AVX-512)"; the library must be loaded. */
    static String isa() {
        return ISAS[isa0()];
    }

    /**
     * Tests only: runs the loops of ISA level {@code level} (an index into {@link #ISAS}) from now on,
     * if this CPU can; returns whether it switched. Not thread-safe against running reductions.
     */
    static boolean useIsa(int level) {
        return useIsa0(level);
    }

    /** The native address of direct {@code buffer}'s first byte. */
    static long address(ByteBuffer buffer) {
        return address0(buffer);
    }

    private static int typeCode(DataType type) {
        switch (type) {
            case FLOAT32:
                return T_F32;
            case FLOAT64:
                return T_F64;
            case INT32:
                return T_I32;
            case INT64:
                return T_I64;
            case FLOAT16:
                return T_F16;
            case BFLOAT16:
                return T_BF16;
            case INT8:
                return T_I8;
            case UINT8:
                return T_U8;
            default:
                return -1;
        }
    }

    private static int opCode(ReduceOp op) {
        switch (op) {
            case SUM:
            case AVG:
                return OP_SUM;
            case PROD:
                return OP_PROD;
            case MIN:
                return OP_MIN;
            case MAX:
                return OP_MAX;
            default:
                return -1;
        }
    }

    /** Platform directory of the bundled library, e.g. {@code linux-x86_64}; {@code null} if none is built for it. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64"))) {
            return "linux-x86_64";
        }
        return null;
    }

    /** Loads the bundled library; returns why it could not, or {@code null}. */
    private static Throwable load() {
        String platform = platform();
        if (platform == null) {
            return new UnsupportedOperationException("no native reduce kernels are built for "
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + " (linux-x86_64 only)");
        }
        String resource = "native/" + platform + "/libjcclreduce.so";
        try (InputStream in = NativeKernels.class.getResourceAsStream(resource)) {
            if (in == null) {
                return new IllegalStateException("the jar holds no io/jccl/reduce/" + resource
                        + " (built without a C compiler?)");
            }
            Path file = Files.createTempFile("libjcclreduce", ".so");
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                System.load(file.toAbsolutePath().toString());
            } finally {
                // The loaded mapping outlives the name; nothing is left behind in the temporary directory.
                Files.deleteIfExists(file);
            }
            int abi = abiVersion0();
            if (abi != ABI_VERSION) {
                return new IllegalStateException("native reduce kernels have ABI " + abi + ", this class expects "
                        + ABI_VERSION + " (mixed JCCL versions on the class path?)");
            }
            return null;
        } catch (IOException | RuntimeException | LinkageError e) {
            return new IllegalStateException("native reduce kernels failed to load: " + e, e);
        }
    }

    private static native int abiVersion0();

    private static native int isa0();

    private static native boolean useIsa0(int level);

    private static native long address0(ByteBuffer buffer);

    private static native void reduce0(int type, int op, long dstAddress, long aAddress, long bAddress, int count,
                                       int divisor);

    private static native void divide0(int type, long address, int count, int divisor);
}
