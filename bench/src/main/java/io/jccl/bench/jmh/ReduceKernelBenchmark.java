package io.jccl.bench.jmh;

import io.jccl.DataType;
import io.jccl.ReduceOp;
import io.jccl.reduce.Reductions;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * {@link Reductions#reduce} per dtype × op on off-heap buffers, against a plain memory copy of the
 * same size. Besides ops/s (one op = one whole-buffer reduce or copy) each benchmark reports the
 * secondary metric {@code bytes}: bytes of output per second (divide by 1e9 for GB/s).
 *
 * <p>Every buffer starts on a 64-byte boundary (a cache line, the widest vector). {@code offsetElements}
 * moves the second operand {@code b}, the role a received fragment plays in {@code RECV_REDUCE}, that
 * many elements past its boundary while {@code dst} and {@code a} stay aligned: the case of a fragment
 * that starts at another element index than the slot it is reduced into. The copy baseline reads the
 * same shifted {@code b}, so each pair compares like with like.
 *
 * <p>Pairs that are not defined (bitwise ops on float types) fail in setup with the kernel's message;
 * select pairs with {@code -p dtype=... -p op=...}.
 */
@State(Scope.Thread)
public class ReduceKernelBenchmark extends JmhDefaults {
    private static final int ALIGNMENT_BYTES = 64;

    @Param({"float32", "float16", "bfloat16", "float64", "int8", "uint8", "int32", "int64"})
    public String dtype;

    @Param({"sum", "prod", "min", "max", "avg", "band", "bor", "bxor"})
    public String op;

    /** Bytes per operand buffer; 1 MiB keeps three operands cache-resident-ish, like a pipeline chunk. */
    @Param({"1048576"})
    public int bytes;

    /** {@code true}: dst is the first operand (the allreduce in-place case). */
    @Param({"false"})
    public boolean inPlace;

    /** Elements by which {@code b} starts past a 64-byte boundary; 0 = every operand aligned. */
    @Param({"0"})
    public int offsetElements;

    private DataType type;
    private ReduceOp reduceOp;
    private int count;
    private int bOffsetBytes;
    private ByteBuffer a;
    private ByteBuffer b;
    private ByteBuffer dst;

    /** Output bytes, normalised by JMH to bytes per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Output {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        type = DataType.parse(dtype);
        reduceOp = ReduceOp.parse(op);
        if (!reduceOp.supports(type)) {
            // Fails this parameter combination only, with the same message the kernel would give.
            Reductions.reduce(type, reduceOp, ByteBuffer.allocate(8), 0, ByteBuffer.allocate(8), 0,
                    ByteBuffer.allocate(8), 0, 1, 0);
        }
        if (offsetElements < 0) {
            throw new IllegalArgumentException("offsetElements must be >= 0, got " + offsetElements);
        }
        count = bytes / type.sizeBytes();
        bOffsetBytes = offsetElements * type.sizeBytes();
        a = filled(bytes, 1);
        b = filled(bOffsetBytes + bytes, 2);
        dst = inPlace ? a : aligned(bytes);
    }

    /** Direct, native-order, starting on a 64-byte boundary, so offsets are exact. */
    private static ByteBuffer aligned(int size) {
        // alignedSlice also rounds the end down to the boundary: leave a whole spare block at both ends.
        int rounded = (size + ALIGNMENT_BYTES - 1) / ALIGNMENT_BYTES * ALIGNMENT_BYTES;
        return ByteBuffer.allocateDirect(rounded + ALIGNMENT_BYTES).alignedSlice(ALIGNMENT_BYTES).limit(size)
                .slice().order(ByteOrder.nativeOrder());
    }

    /** Small values so that sums and products stay finite and away from subnormals in every type. */
    private ByteBuffer filled(int size, long seed) {
        ByteBuffer buf = aligned(size);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < size / type.sizeBytes(); i++) {
            int v = 1 + random.nextInt(3);
            switch (type) {
                case INT8: case UINT8: buf.put(i, (byte) v); break;
                case INT32: buf.putInt(i * 4, v); break;
                case INT64: buf.putLong(i * 8, v); break;
                case FLOAT32: buf.putFloat(i * 4, v); break;
                case FLOAT64: buf.putDouble(i * 8, v); break;
                default:
                    buf.putShort(i * 2, type == DataType.FLOAT16 ? io.jccl.reduce.Float16.fromFloat(v)
                            : io.jccl.reduce.BFloat16.fromFloat(v));
            }
        }
        return buf;
    }

    /** First operand, starting at element 0 (for tests). */
    ByteBuffer operandA() {
        return a;
    }

    /** Second operand; its elements start at {@code offsetElements} (for tests). */
    ByteBuffer operandB() {
        return b;
    }

    /** Where results go; {@link #operandA()} when in place (for tests). */
    ByteBuffer destination() {
        return dst;
    }

    @Benchmark
    public void reduce(Output output) {
        Reductions.reduce(type, reduceOp, dst, 0, a, 0, b, bOffsetBytes, count, reduceOp == ReduceOp.AVG ? 2 : 0);
        output.bytes += bytes;
    }

    /** Memory-copy baseline: moves {@code bytes} bytes of {@code b} to {@code dst} with the JDK's bulk absolute put. */
    @Benchmark
    public void copy(Output output) {
        dst.put(0, b, bOffsetBytes, bytes);
        output.bytes += bytes;
    }
}
