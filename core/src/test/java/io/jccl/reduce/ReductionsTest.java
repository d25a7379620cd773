package io.jccl.reduce;

import io.jccl.DataType;
import io.jccl.ReduceOp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static io.jccl.reduce.SmallFloatReference.BF_EXP;
import static io.jccl.reduce.SmallFloatReference.BF_MANT;
import static io.jccl.reduce.SmallFloatReference.HALF_EXP;
import static io.jccl.reduce.SmallFloatReference.HALF_MANT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Every type × op × divisor × count × buffer layout, element by element against {@link #expected}. */
@Timeout(60)
class ReductionsTest {
    private static final int[] COUNTS = {0, 1, 2, 3, 7, 8, 9, 1023, 100_003};
    private static final int[] DIVISORS = {0, 1, 7};
    /** Divisors of {@link Reductions#divide} (world sizes: float types divide by a float, exact up to 2^24). */
    private static final int[] DIVIDE_DIVISORS = {2, 3, 7, 255, 65_537, 1 << 24};

    enum Alias { NONE, DST_IS_A, DST_IS_B, DST_IS_VIEW_OF_A }

    /**
     * The kernel paths: Java with the array store path, Java with view stores ({@link ViewStores}),
     * and the native kernels ({@link NativeKernels}, Java where they do not cover a call).
     */
    enum Kernels {
        ARRAYS(-1), VIEW_STORES(-1), NATIVE_AVX512(0), NATIVE_AVX2(1), NATIVE_BASELINE(2);

        /** The native ISA level ({@link NativeKernels#ISAS}), -1 for the Java paths. */
        final int isa;

        Kernels(int isa) {
            this.isa = isa;
        }

        void reduce(DataType type, ReduceOp op, ByteBuffer dst, int dOff, ByteBuffer a, int aOff, ByteBuffer b, int bOff,
                    int count, int divisor) {
            if (isa >= 0) {
                selectIsa(isa);
            }
            Reductions.reduce(type, op, dst, dOff, a, aOff, b, bOff, count, divisor, this == VIEW_STORES, isa >= 0);
        }
    }

    /**
     * Runs the native loops of {@code level} from now on. A level this CPU lacks must be refused (and
     * the default level then runs the case); every level it has must be taken.
     */
    static void selectIsa(int level) {
        if (!NativeKernels.ENABLED) {
            return; // the platform has no library; shouldLoadNativeKernelsWhenPlatformHasThem covers that
        }
        if (!NativeKernels.useIsa(level)) {
            assertTrue(level < NativeKernels.DEFAULT_ISA, () -> "the library refused " + NativeKernels.ISAS[level]
                    + " although it chose " + NativeKernels.ISAS[NativeKernels.DEFAULT_ISA] + " for this CPU");
            assertTrue(NativeKernels.useIsa(NativeKernels.DEFAULT_ISA));
        }
    }

    @AfterEach
    void restoreDefaultIsa() {
        if (NativeKernels.ENABLED) {
            assertTrue(NativeKernels.useIsa(NativeKernels.DEFAULT_ISA));
        }
    }

    /** Each supported pair on every kernel path, whatever this JVM uses by default. */
    static Stream<Arguments> supportedPairsAllKernels() {
        return supportedPairs().flatMap(pair -> Stream.of(Kernels.values())
                .map(kernels -> Arguments.of(pair.get()[0], pair.get()[1], kernels)));
    }

    static Stream<Arguments> supportedPairs() {
        List<Arguments> pairs = new ArrayList<>();
        for (DataType type : DataType.values()) {
            for (ReduceOp op : ReduceOp.values()) {
                if (op.supports(type)) {
                    pairs.add(Arguments.of(type, op));
                }
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("supportedPairsAllKernels")
    void shouldMatchScalarReferenceWhenReducingAnyLayout(DataType type, ReduceOp op, Kernels kernels) {
        SplittableRandom random = new SplittableRandom(type.ordinal() * 31L + op.ordinal());
        for (int divisor : DIVISORS) {
            for (int count : COUNTS) {
                for (boolean direct : new boolean[] {true, false}) {
                    for (Alias alias : Alias.values()) {
                        // The large count is there for the unrolled/vectorized main loops; one layout per
                        // buffer kind (plus in-place on direct) covers it and keeps the suite fast.
                        boolean large = count > 10_000;
                        if (!large || alias == Alias.NONE || (direct && alias == Alias.DST_IS_A)) {
                            runCase(type, op, divisor, count, direct, alias, kernels, random);
                        }
                    }
                }
            }
        }
    }

    /**
     * Operands at different element indices (the ring case: a received fragment rarely starts at its
     * destination's index), at byte offsets that are not element multiples, and around the kernels'
     * chunk boundaries.
     */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("supportedPairsAllKernels")
    void shouldMatchScalarReferenceWhenOperandsStartAtDifferentElements(DataType type, ReduceOp op,
                                                                        Kernels kernels) {
        SplittableRandom random = new SplittableRandom(type.ordinal() * 131L + op.ordinal());
        int size = type.sizeBytes();
        int chunk = Workspace.CHUNK_BYTES / size;
        int[] counts = {0, 1, 5, chunk - 1, chunk + 1, 2 * chunk + 3};
        // {dst, a, b} in bytes; an operand at -1 is the same memory as a (dst == a in place).
        int[][] layouts = {
            {0, size, 3 * size},
            {5 * size, 0, size},
            {-1, 2 * size, 7 * size},
            {-1, 7 * size, 0},
            {1, 2, 3},
            {-1, 3, 1},
            {size + 1, 0, 2 * size + 3},
        };
        for (int[] layout : layouts) {
            for (int count : counts) {
                for (int divisor : new int[] {0, 3}) {
                    boolean direct = random.nextBoolean();
                    Alias alias = layout[0] < 0 ? Alias.DST_IS_A : Alias.NONE;
                    int aOff = layout[1];
                    runLayout(type, op, divisor, count, direct, alias, alias == Alias.DST_IS_A ? aOff : layout[0],
                            aOff, layout[2], kernels, random);
                }
            }
        }
    }

    private static void runCase(DataType type, ReduceOp op, int divisor, int count, boolean direct, Alias alias,
                                Kernels kernels, SplittableRandom random) {
        int aOff = random.nextInt(16);
        int bOff = random.nextInt(16);
        int dOff = alias == Alias.DST_IS_A || alias == Alias.DST_IS_VIEW_OF_A ? aOff
                : alias == Alias.DST_IS_B ? bOff : random.nextInt(16);
        runLayout(type, op, divisor, count, direct, alias, dOff, aOff, bOff, kernels, random);
    }

    private static void runLayout(DataType type, ReduceOp op, int divisor, int count, boolean direct, Alias alias,
                                  int dOff, int aOff, int bOff, Kernels kernels, SplittableRandom random) {
        int size = type.sizeBytes();
        ByteBuffer a = allocate(direct, aOff + count * size + random.nextInt(3));
        ByteBuffer b = allocate(direct, bOff + count * size + random.nextInt(3));
        long[] x = new long[count];
        long[] y = new long[count];
        for (int i = 0; i < count; i++) {
            x[i] = randomBits(type, random);
            y[i] = randomBits(type, random);
            write(type, a, aOff + i * size, x[i]);
            write(type, b, bOff + i * size, y[i]);
        }
        ByteBuffer dst;
        switch (alias) {
            case DST_IS_A: dst = a; break;
            case DST_IS_B: dst = b; break;
            case DST_IS_VIEW_OF_A: dst = a.duplicate(); break;
            default:
                dst = allocate(direct, dOff + count * size + 1);
                for (int i = 0; i < dst.capacity(); i++) {
                    dst.put(i, (byte) 0x5a);
                }
        }
        // Odd positions and limits that the kernel must neither honour nor change.
        a.limit(Math.min(1, a.capacity())).position(a.limit());
        b.limit(Math.min(2, b.capacity())).position(0);
        int aLimit = a.limit();
        int aPosition = a.position();
        int bLimit = b.limit();

        kernels.reduce(type, op, dst, dOff, a, aOff, b, bOff, count, divisor);

        assertEquals(aLimit, a.limit());
        assertEquals(aPosition, a.position());
        assertEquals(bLimit, b.limit());
        ByteBuffer dstView = dst.duplicate().clear().order(ByteOrder.nativeOrder());
        for (int i = 0; i < count; i++) {
            long actual = read(type, dstView, dOff + i * size);
            int index = i;
            check(type, expected(type, op, x[i], y[i], divisor), actual,
                    () -> type + " " + op + " " + kernels + " div=" + divisor + " count=" + count + (direct ? " direct " : " heap ")
                            + alias + " offsets d/a/b=" + dOff + "/" + aOff + "/" + bOff + " element " + index);
        }
        if (alias == Alias.NONE) {
            assertEquals((byte) 0x5a, dst.get(dOff + count * size), "wrote past the end");
            if (dOff > 0) {
                assertEquals((byte) 0x5a, dst.get(dOff - 1), "wrote before the start");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allTypes")
    void shouldDivideLikeReferenceWhenCallingDivide(DataType type) {
        divideLikeReference(type, false);
        for (int level = 0; level < NativeKernels.ISAS.length; level++) {
            selectIsa(level);
            divideLikeReference(type, true);
        }
    }

    /**
     * The native loops divide bytes and int32 through a float or double quotient and truncate it. Every
     * byte value by divisors from 2 to past 2^24 (where float stops holding the divisor exactly), and
     * int32 values next to the largest multiples of divisors up to 2^30 (where a quotient rounded
     * across an integer would show), on every ISA level.
     */
    @Test
    void shouldDivideIntegersExactlyWhenQuotientsAreCloseToIntegers() {
        ByteBuffer bytes = ByteBuffer.allocateDirect(256);
        ByteBuffer ints = ByteBuffer.allocateDirect(4 * 4096).order(ByteOrder.nativeOrder());
        for (int level = 0; level < NativeKernels.ISAS.length; level++) {
            selectIsa(level);
            for (DataType type : new DataType[] {DataType.INT8, DataType.UINT8}) {
                for (int q = 2; q <= 70_000; q = q < 300 ? q + 1 : q * 11 / 10) {
                    divideBytesLikeReference(type, bytes, q, level);
                }
                for (int q : new int[] {(1 << 24) - 1, 1 << 24, (1 << 24) + 1, Integer.MAX_VALUE}) {
                    divideBytesLikeReference(type, bytes, q, level);
                }
            }
            for (int q : new int[] {2, 3, 7, 1000, 65_537, (1 << 21) + 1, (1 << 24) + 1, 1 << 30, Integer.MAX_VALUE}) {
                int top = Integer.MAX_VALUE / q;
                int[] x = new int[4096];
                for (int i = 0; i < x.length; i++) {
                    // The largest multiples, where the quotient's rounding error is largest: one below, at,
                    // and one above each, positive and negative.
                    long v = (long) Math.max(0, top - i / 6) * q + (i % 3) - 1;
                    x[i] = (int) Math.min(Integer.MAX_VALUE, i % 6 < 3 ? v : -v);
                    ints.putInt(4 * i, x[i]);
                }
                Reductions.divide(DataType.INT32, ints, 0, x.length, q, true);
                for (int i = 0; i < x.length; i++) {
                    assertEquals(x[i] / q, ints.getInt(4 * i), "INT32 " + x[i] + " / " + q + " on ISA level " + level);
                }
            }
        }
    }

    private static void divideBytesLikeReference(DataType type, ByteBuffer buf, int q, int level) {
        for (int i = 0; i < 256; i++) {
            buf.put(i, (byte) i);
        }
        Reductions.divide(type, buf, 0, 256, q, true);
        for (int i = 0; i < 256; i++) {
            int bits = i;
            check(type, divided(type, bits, q), read(type, buf, i),
                    () -> type + " bits " + bits + " / " + q + " on ISA level " + level);
        }
    }

    private static void divideLikeReference(DataType type, boolean nativeKernels) {
        SplittableRandom random = new SplittableRandom(type.ordinal());
        for (int count : COUNTS) {
            for (boolean direct : new boolean[] {true, false}) {
                int off = random.nextInt(16);
                ByteBuffer buf = allocate(direct, off + count * type.sizeBytes());
                long[] x = new long[count];
                for (int i = 0; i < count; i++) {
                    x[i] = randomBits(type, random);
                    write(type, buf, off + i * type.sizeBytes(), x[i]);
                }
                int divisor = DIVIDE_DIVISORS[random.nextInt(DIVIDE_DIVISORS.length)];
                if (count > 0) {
                    Reductions.divide(type, buf, off, count, divisor, nativeKernels);
                }
                ByteBuffer view = buf.duplicate().clear().order(ByteOrder.nativeOrder());
                for (int i = 0; i < count; i++) {
                    long actual = read(type, view, off + i * type.sizeBytes());
                    check(type, divided(type, x[i], divisor), actual, () -> "divide by " + divisor + " " + type
                            + (nativeKernels ? " native" : " java") + (direct ? " direct" : " heap"));
                }
            }
        }
    }

    static Stream<DataType> allTypes() {
        return Stream.of(DataType.values());
    }

    @Test
    void shouldThrowNamingTypeAndOpWhenBitwiseOpOnFloatType() {
        ByteBuffer buf = ByteBuffer.allocateDirect(64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Reductions.reduce(DataType.FLOAT32, ReduceOp.BXOR, buf, 0, buf, 0, buf, 0, 4, 0));
        assertEquals("BXOR is not defined for float32; use an integer type or SUM/PROD/MIN/MAX/AVG", e.getMessage());
        for (DataType type : DataType.values()) {
            for (ReduceOp op : new ReduceOp[] {ReduceOp.BAND, ReduceOp.BOR, ReduceOp.BXOR}) {
                if (type.isFloatingPoint()) {
                    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                            () -> Reductions.reduce(type, op, buf, 0, buf, 0, buf, 0, 1, 0));
                    assertTrue(ex.getMessage().startsWith(op + " is not defined for " + type.shortName()),
                            ex.getMessage());
                }
            }
        }
    }

    @Test
    void shouldThrowWhenRangeOutsideCapacityOrArgumentsInvalid() {
        ByteBuffer small = ByteBuffer.allocateDirect(15);
        ByteBuffer big = ByteBuffer.allocateDirect(64);
        assertThrows(IndexOutOfBoundsException.class,
                () -> Reductions.reduce(DataType.FLOAT32, ReduceOp.SUM, big, 0, small, 0, big, 0, 4, 0));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Reductions.reduce(DataType.INT8, ReduceOp.SUM, big, -1, big, 0, big, 0, 1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> Reductions.reduce(DataType.INT8, ReduceOp.SUM, big, 0, big, 0, big, 0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> Reductions.divide(DataType.INT32, big, 0, 4, 0));
        assertThrows(java.nio.ReadOnlyBufferException.class, () -> Reductions.reduce(DataType.FLOAT32,
                ReduceOp.SUM, big.asReadOnlyBuffer(), 0, big, 0, big, 0, 4, 0));
    }

    @Test
    void shouldStoreIntoDirectViewsWhenRunningOnJdk25OrLater() {
        // The view-store loops were measured to vectorize on JDK 25 and to run scalar on JDK 17.
        assertEquals(Runtime.version().feature() >= 25, ViewStores.ENABLED,
                "store path for Java " + Runtime.version().feature());
    }

    @Test
    void shouldLoadNativeKernelsWhenPlatformHasThem() {
        // The build compiles them for linux-x86_64 (core/src/main/c/build.sh); there, not loading them
        // would silently run every reduction on the slower Java path.
        if (NativeKernels.platform() != null && !"java".equals(NativeKernels.MODE)) {
            assertTrue(NativeKernels.ENABLED, () -> "native kernels did not load: " + NativeKernels.UNAVAILABLE);
            assertTrue(Reductions.kernels().startsWith("native"), Reductions.kernels());
            assertTrue(NativeKernels.DEFAULT_ISA >= 0, Reductions.kernels());
        } else {
            assertTrue(Reductions.kernels().startsWith("java ("), Reductions.kernels());
        }
    }

    @Test
    void shouldFailNamingTheSettingWhenKernelModeInvalidOrNativeUnavailable() {
        IllegalStateException missing = new IllegalStateException("no library here");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> NativeKernels.checkConfiguration("native", missing));
        assertTrue(e.getMessage().contains("jccl.reduce.kernels=native") && e.getMessage().contains("no library here")
                && e.getMessage().contains("auto"), e.getMessage());
        IllegalArgumentException bad = new IllegalArgumentException("Invalid jccl.reduce.kernels: expected ...");
        assertEquals(bad, assertThrows(IllegalArgumentException.class,
                () -> NativeKernels.checkConfiguration("invalid", bad)));
        // auto falls back quietly; java asked for Java; a loaded library is fine in any mode.
        NativeKernels.checkConfiguration("auto", missing);
        NativeKernels.checkConfiguration("java", missing);
        NativeKernels.checkConfiguration("native", null);
        assertThrows(IllegalArgumentException.class,
                () -> io.jccl.config.CoreOptions.REDUCE_KERNELS.parse("fast"));
        assertEquals("native", io.jccl.config.CoreOptions.REDUCE_KERNELS.parse(" Native "));
    }

    @Test
    void shouldNotAllocateWhenCalledRepeatedlyOnSameBuffersAtVaryingOffsets() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ByteBuffer a = ByteBuffer.allocateDirect(16384);
        ByteBuffer b = ByteBuffer.allocateDirect(16384);
        ByteBuffer d = ByteBuffer.allocateDirect(16384);
        ByteBuffer heap = ByteBuffer.allocate(16384);
        for (int i = 0; i < 5_000; i++) {
            reduceMix(a, b, d, heap, i);
        }
        // The steady state is what is promised: until the JIT has compiled the kernels with escape
        // analysis, interpreted or C1 code may allocate, and on a loaded machine that takes a while.
        // So look at windows of 1000 calls (5000 kernel calls) and require one of them to be clean.
        long best = Long.MAX_VALUE;
        for (int window = 0; window < 20 && best >= 16 * 1024; window++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1_000; i++) {
                reduceMix(a, b, d, heap, i);
            }
            best = Math.min(best, threads.getCurrentThreadAllocatedBytes() - before);
        }
        // A per-call view would cost > 100 bytes × 5_000 calls; a GC clearing the cache costs a few hundred.
        assertTrue(best < 16 * 1024, "allocated at least " + best + " bytes in every window of 5000 calls");
    }

    @Test
    void shouldNotAllocateWhenFourBuffersShareOneAddressSet() {
        // Four buffers whose addresses meet in one set of the cache: each must keep its way, or every
        // call would look its address up again and allocate a new weak reference for it.
        List<ByteBuffer> same = new ArrayList<>();
        List<ByteBuffer> others = new ArrayList<>(); // kept reachable so identity hashes are not reused
        while (same.size() < 4) {
            ByteBuffer b = ByteBuffer.allocateDirect(64);
            (same.isEmpty() || Workspace.addressSet(b) == Workspace.addressSet(same.get(0)) ? same : others).add(b);
        }
        Workspace w = Workspace.current();
        long[] first = new long[4];
        for (int i = 0; i < 4; i++) {
            first[i] = w.address(same.get(i));
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int round = 0; round < 10_000; round++) {
            for (int i = 0; i < 4; i++) {
                sum += w.address(same.get(i)) - first[i];
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(0, sum, "a buffer's address changed");
        // 40 000 misses would allocate over 600 KB; a GC clearing a reference costs a few dozen bytes.
        assertTrue(allocated < 16 * 1024, "allocated " + allocated + " bytes in 40 000 address lookups");
        java.lang.ref.Reference.reachabilityFence(others);
    }

    /** Offsets move every call (as fragments do in a ring), including byte-misaligned ones. */
    private static void reduceMix(ByteBuffer a, ByteBuffer b, ByteBuffer d, ByteBuffer heap, int i) {
        int shift = (i % 64) * 4;
        Reductions.reduce(DataType.FLOAT32, ReduceOp.SUM, d, 4, a, 4 + shift, b, 1 + shift, 3000, 0);
        Reductions.reduce(DataType.FLOAT32, ReduceOp.SUM, a, 8, a, 8, heap, shift, 3000, 0);
        Reductions.reduce(DataType.BFLOAT16, ReduceOp.AVG, d, 2, a, 2 + shift, b, 2, 1000, 3);
        Reductions.reduce(DataType.INT8, ReduceOp.MAX, d, 3, a, shift, b, 7, 1000, 0);
        Reductions.reduce(DataType.INT64, ReduceOp.BXOR, d, 0, a, shift, b, 8, 1000, 0);
        // The Java kernels on both store paths must not allocate either (the lines above run native where it loads).
        Reductions.reduce(DataType.FLOAT32, ReduceOp.AVG, d, 0, a, shift, b, 4, 3000, 2, !ViewStores.ENABLED, false);
        Reductions.reduce(DataType.FLOAT32, ReduceOp.SUM, d, 4, a, 4 + shift, b, 1 + shift, 3000, 0, ViewStores.ENABLED,
                false);
    }

    // ---------------------------------------------------------------- independent reference

    static long expected(DataType type, ReduceOp op, long x, long y, int divisor) {
        long combined;
        switch (type) {
            case INT8:
            case UINT8:
            case INT32:
            case INT64:
                combined = integerCombine(type, op, x, y);
                break;
            case FLOAT32:
                combined = Float.floatToRawIntBits(
                        floatCombine(op, Float.intBitsToFloat((int) x), Float.intBitsToFloat((int) y))) & 0xffff_ffffL;
                break;
            case FLOAT64:
                combined = Double.doubleToRawLongBits(
                        doubleCombine(op, Double.longBitsToDouble(x), Double.longBitsToDouble(y)));
                break;
            case FLOAT16:
            case BFLOAT16: {
                int e = type == DataType.FLOAT16 ? HALF_EXP : BF_EXP;
                int m = type == DataType.FLOAT16 ? HALF_MANT : BF_MANT;
                float r = floatCombine(op, (float) SmallFloatReference.decode((int) x, e, m),
                        (float) SmallFloatReference.decode((int) y, e, m));
                if (divisor > 1) {
                    r = (float) ((double) r / divisor);
                }
                return Float.isNaN(r) ? -1 : SmallFloatReference.encode(r, e, m);
            }
            default:
                throw new AssertionError(type);
        }
        return divisor > 1 ? divided(type, combined, divisor) : combined;
    }

    private static long integerCombine(DataType type, ReduceOp op, long x, long y) {
        if (type != DataType.INT64) {
            // Products of 32-bit values are exact in a long; wrap by masking.
            long sx = signedValue(type, x);
            long sy = signedValue(type, y);
            long r;
            switch (op) {
                case SUM: case AVG: r = sx + sy; break;
                case PROD: r = sx * sy; break;
                case MIN: r = sx <= sy ? sx : sy; break;
                case MAX: r = sx >= sy ? sx : sy; break;
                case BAND: r = sx & sy; break;
                case BOR: r = sx | sy; break;
                case BXOR: r = sx ^ sy; break;
                default: throw new AssertionError(op);
            }
            return r & ((1L << (type.sizeBytes() * 8)) - 1);
        }
        BigInteger bx = BigInteger.valueOf(signedValue(type, x));
        BigInteger by = BigInteger.valueOf(signedValue(type, y));
        BigInteger r;
        switch (op) {
            case SUM: case AVG: r = bx.add(by); break;
            case PROD: r = bx.multiply(by); break;
            case MIN: r = bx.compareTo(by) <= 0 ? bx : by; break;
            case MAX: r = bx.compareTo(by) >= 0 ? bx : by; break;
            case BAND: r = bx.and(by); break;
            case BOR: r = bx.or(by); break;
            case BXOR: r = bx.xor(by); break;
            default: throw new AssertionError(op);
        }
        return wrap(type, r);
    }

    /** Value of the bits as the type means it (UINT8 is 0..255). */
    private static long signedValue(DataType type, long bits) {
        switch (type) {
            case INT8: return (byte) bits;
            case UINT8: return bits & 0xff;
            case INT32: return (int) bits;
            default: return bits;
        }
    }

    private static long wrap(DataType type, BigInteger r) {
        BigInteger modulus = BigInteger.ONE.shiftLeft(type.sizeBytes() * 8);
        return r.mod(modulus).longValue() & (type.sizeBytes() == 8 ? -1L : modulus.longValue() - 1);
    }

    static long divided(DataType type, long bits, int divisor) {
        switch (type) {
            case INT8:
            case UINT8:
            case INT32:
            case INT64: {
                if (type != DataType.INT64) {
                    // Java's long division truncates toward zero, as required.
                    return (signedValue(type, bits) / divisor) & ((1L << (type.sizeBytes() * 8)) - 1);
                }
                // BigInteger.divide truncates toward zero.
                BigInteger q = BigInteger.valueOf(signedValue(type, bits)).divide(BigInteger.valueOf(divisor));
                return wrap(type, q);
            }
            case FLOAT32:
                return Float.floatToRawIntBits((float) ((double) Float.intBitsToFloat((int) bits) / divisor)) & 0xffff_ffffL;
            case FLOAT64:
                return Double.doubleToRawLongBits(Double.longBitsToDouble(bits) / divisor);
            case FLOAT16:
            case BFLOAT16: {
                int e = type == DataType.FLOAT16 ? HALF_EXP : BF_EXP;
                int m = type == DataType.FLOAT16 ? HALF_MANT : BF_MANT;
                float r = (float) (SmallFloatReference.decode((int) bits, e, m) / divisor);
                return Float.isNaN(r) ? -1 : SmallFloatReference.encode(r, e, m);
            }
            default:
                throw new AssertionError(type);
        }
    }

    /** float arithmetic via double (exact enough that the final cast rounds once), MIN/MAX spelled out. */
    private static float floatCombine(ReduceOp op, float x, float y) {
        switch (op) {
            case SUM: case AVG: return (float) ((double) x + y);
            case PROD: return (float) ((double) x * y);
            case MIN: return (float) minMax(false, x, y);
            case MAX: return (float) minMax(true, x, y);
            default: throw new AssertionError(op);
        }
    }

    private static double doubleCombine(ReduceOp op, double x, double y) {
        switch (op) {
            case SUM: case AVG: return x + y;
            case PROD: return x * y;
            case MIN: return minMax(false, x, y);
            case MAX: return minMax(true, x, y);
            default: throw new AssertionError(op);
        }
    }

    private static double minMax(boolean max, double x, double y) {
        if (x != x || y != y) {
            return Double.NaN;
        }
        if (x == 0 && y == 0) {
            boolean xNegative = Double.doubleToRawLongBits(x) < 0;
            boolean yNegative = Double.doubleToRawLongBits(y) < 0;
            boolean negative = max ? xNegative && yNegative : xNegative || yNegative;
            return negative ? -0.0 : 0.0;
        }
        return max ? (x > y ? x : y) : (x < y ? x : y);
    }

    private static void check(DataType type, long expected, long actual, java.util.function.Supplier<String> what) {
        boolean nan;
        switch (type) {
            case FLOAT32: nan = Float.isNaN(Float.intBitsToFloat((int) expected)); break;
            case FLOAT64: nan = Double.isNaN(Double.longBitsToDouble(expected)); break;
            case FLOAT16: case BFLOAT16: nan = expected == -1; break;
            default: nan = false;
        }
        if (nan) {
            boolean ok;
            switch (type) {
                case FLOAT32: ok = Float.isNaN(Float.intBitsToFloat((int) actual)); break;
                case FLOAT64: ok = Double.isNaN(Double.longBitsToDouble(actual)); break;
                case FLOAT16: ok = SmallFloatReference.isQuietHalfNaN((int) actual); break;
                default: ok = SmallFloatReference.isQuietBFloatNaN((int) actual);
            }
            if (!ok) {
                fail(what.get() + ": expected (quiet) NaN, got 0x" + Long.toHexString(actual));
            }
        } else if (expected != actual) {
            fail(what.get() + ": expected 0x" + Long.toHexString(expected) + ", got 0x" + Long.toHexString(actual));
        }
    }

    // ---------------------------------------------------------------- data

    private static ByteBuffer allocate(boolean direct, int bytes) {
        return (direct ? ByteBuffer.allocateDirect(bytes) : ByteBuffer.allocate(bytes)).order(ByteOrder.nativeOrder());
    }

    /** Random element bits (zero-extended to the type's width), one in eight an edge value. */
    private static long randomBits(DataType type, SplittableRandom random) {
        boolean edge = random.nextInt(8) == 0;
        switch (type) {
            case INT8:
            case UINT8: {
                int[] edges = {0, 1, 0x7f, 0x80, 0xff, 0xfe};
                return edge ? edges[random.nextInt(edges.length)] : random.nextInt(256);
            }
            case INT32: {
                int[] edges = {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 7, -7};
                int v = edge ? edges[random.nextInt(edges.length)] : random.nextInt();
                return v & 0xffff_ffffL;
            }
            case INT64: {
                long[] edges = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 7, -7};
                return edge ? edges[random.nextInt(edges.length)] : random.nextLong();
            }
            case FLOAT16:
            case BFLOAT16: {
                // Raw patterns cover NaNs, infinities and subnormals; small integers give exact sums.
                return random.nextBoolean() ? random.nextInt(65536)
                        : (type == DataType.FLOAT16 ? Float16.fromFloat(random.nextInt(-64, 64))
                        : BFloat16.fromFloat(random.nextInt(-64, 64))) & 0xffff;
            }
            case FLOAT32: {
                float[] edges = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, Float.MIN_NORMAL,
                    Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
                float v = edge ? edges[random.nextInt(edges.length)]
                        : random.nextBoolean() ? (float) (random.nextDouble(-1e3, 1e3))
                        : Float.intBitsToFloat(random.nextInt());
                return Float.floatToRawIntBits(v) & 0xffff_ffffL;
            }
            case FLOAT64: {
                double[] edges = {0d, -0d, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-310, Double.MIN_NORMAL,
                    Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                    Double.NaN};
                double v = edge ? edges[random.nextInt(edges.length)]
                        : random.nextBoolean() ? random.nextDouble(-1e6, 1e6) : Double.longBitsToDouble(random.nextLong());
                return Double.doubleToRawLongBits(v);
            }
            default:
                throw new AssertionError(type);
        }
    }

    private static void write(DataType type, ByteBuffer buf, int offset, long bits) {
        switch (type.sizeBytes()) {
            case 1: buf.put(offset, (byte) bits); break;
            case 2: buf.putShort(offset, (short) bits); break;
            case 4: buf.putInt(offset, (int) bits); break;
            default: buf.putLong(offset, bits);
        }
    }

    /** {@code b} is a cleared native-order view, so the result depends on neither limit nor order flag. */
    private static long read(DataType type, ByteBuffer b, int offset) {
        switch (type.sizeBytes()) {
            case 1: return b.get(offset) & 0xffL;
            case 2: return b.getShort(offset) & 0xffffL;
            case 4: return b.getInt(offset) & 0xffff_ffffL;
            default: return b.getLong(offset);
        }
    }
}
