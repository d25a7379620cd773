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
 * <p>Pairs that are not defined (bitwise ops on float types) fail in setup with the kernel's message;
 * select pairs with {@code -p dtype=... -p op=...}.
 */
@State(Scope.Thread)
public class ReduceKernelBenchmark extends JmhDefaults {

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

    private DataType type;
    private ReduceOp reduceOp;
    private int count;
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
        count = bytes / type.sizeBytes();
        a = filled(bytes, 1);
        b = filled(bytes, 2);
        dst = inPlace ? a : ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }

    /** Small values so that sums and products stay finite and away from subnormals in every type. */
    private ByteBuffer filled(int size, long seed) {
        ByteBuffer buf = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
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

    @Benchmark
    public void reduce(Output output) {
        Reductions.reduce(type, reduceOp, dst, 0, a, 0, b, 0, count, reduceOp == ReduceOp.AVG ? 2 : 0);
        output.bytes += bytes;
    }

    /** Memory-copy baseline: moves {@code bytes} bytes with the JDK's bulk absolute put. */
    @Benchmark
    public void copy(Output output) {
        dst.put(0, a, 0, bytes);
        output.bytes += bytes;
    }
}
