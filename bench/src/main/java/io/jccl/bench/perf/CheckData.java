package io.jccl.bench.perf;

import io.jccl.DataType;
import io.jccl.ReduceOp;

import java.nio.ByteBuffer;

/**
 * Verifiable data for {@code -c 1}: inputs are small integers derived from (rank, index), chosen
 * per type and op so that every result is exactly representable and independent of the order of
 * the reduction (so float results compare exactly; only {@code avg} on float types is compared
 * within one rounding of the type). The expected results are computed locally, without the network.
 *
 * <p>Patterns, with {@code n} ranks: {@code sum}/{@code avg} use {@code (3r + 7i + 1) mod m} with
 * {@code m - 1 = min(8, limit/n)} so the sum cannot overflow; {@code prod} gives element {@code i}
 * a factor 2 from exactly {@code i mod (t+1)} ranks and 1 from the others ({@code 2^t} still
 * exact); {@code min}/{@code max} use {@code (7r + 3i) mod 11}; bitwise ops {@code (37r + 11i) & 127};
 * allgather and broadcast {@code (31r + i) mod 101}. Sizes of 2^16 ranks and more may overflow the
 * 16-bit float types.
 *
 * <p>Immutable and thread-safe.
 */
public final class CheckData {
    private final PerfCollective collective;
    private final DataType type;
    private final ReduceOp op;
    private final int ranks;
    private final int root;
    private final long sumModulus;
    private final int prodMaxTwos;
    /** The reduction over ranks, for one period of the (periodic) input pattern; null for prod. */
    private final double[] reducedPeriod;

    public CheckData(PerfCollective collective, DataType type, ReduceOp op, int ranks, int root) {
        if (ranks < 1 || root < 0 || (collective.rooted() && root >= ranks)) {
            throw new IllegalArgumentException("need ranks >= 1 and 0 <= root < ranks, got " + ranks + ", " + root);
        }
        this.collective = collective;
        this.type = type;
        this.op = collective.reduces() ? op : null;
        this.ranks = ranks;
        this.root = root;
        this.sumModulus = Math.max(1, Math.min(8, sumLimit(type) / ranks)) + 1;
        this.prodMaxTwos = Math.min(ranks, prodLimitLog2(type));
        this.reducedPeriod = this.op == null || this.op == ReduceOp.PROD ? null : reducePeriod();
    }

    /** The input element {@code index} of {@code rank} (index into the whole input buffer). */
    public long input(int rank, long index) {
        if (op == null) {
            return Math.floorMod(31L * rank + index, 101L);
        }
        switch (op) {
            case SUM:
            case AVG:
                return Math.floorMod(3L * rank + 7L * (index % sumModulus) + 1, sumModulus);
            case PROD: {
                long twos = index % (prodMaxTwos + 1);
                return Math.floorMod(rank + index, (long) ranks) < twos ? 2 : 1;
            }
            case MIN:
            case MAX:
                return Math.floorMod(7L * rank + 3L * (index % 11), 11L);
            default:
                return (37L * rank + 11L * (index & 127)) & 127;
        }
    }

    /** The reduction over all ranks of input element {@code index}, as the type stores it. */
    public double reduced(long index) {
        if (op == null) {
            throw new IllegalStateException(collective.cliName() + " does not reduce");
        }
        if (op == ReduceOp.PROD) {
            // Exactly (index mod (t+1)) ranks r have (r + index) mod n below that count.
            return Elements.wrap(type, 1L << (index % (prodMaxTwos + 1)));
        }
        return reducedPeriod[(int) (index % period())];
    }

    /**
     * Fills this rank's buffers before a call: inputs get the pattern, outputs a value that differs
     * from the expected result everywhere, so a call that writes nothing is caught.
     *
     * @param in      out-of-place input (ignored in place)
     * @param out     out-of-place output (ignored in place)
     * @param buffer  the in-place buffer (ignored out of place)
     */
    public void prepare(MessageShape shape, int rank, boolean inPlace, ByteBuffer in, ByteBuffer out,
                        ByteBuffer buffer) {
        long count = shape.countElements();
        if (!inPlace) {
            for (long i = 0; i < shape.inputElements(); i++) {
                Elements.put(in, i, type, input(rank, i));
            }
            for (long i = 0; i < shape.outputElements(); i++) {
                Elements.put(out, i, type, poison(expected(shape, rank, false, i)));
            }
            return;
        }
        switch (collective) {
            case ALLGATHER:
                for (long g = 0; g < shape.inPlaceElements(); g++) {
                    boolean own = g / count == rank;
                    Elements.put(buffer, g, type, own ? input(rank, g - rank * count) : poison(expected(shape, rank, true, g)));
                }
                break;
            case BROADCAST:
                for (long i = 0; i < count; i++) {
                    Elements.put(buffer, i, type, rank == root ? input(rank, i) : poison(expected(shape, rank, true, i)));
                }
                break;
            default:
                for (long i = 0; i < shape.inPlaceElements(); i++) {
                    Elements.put(buffer, i, type, input(rank, i));
                }
                break;
        }
    }

    /**
     * Counts the elements of this rank's result that differ from the expectation. Ranks without a
     * defined result (reduce away from the root) count 0.
     */
    public long countWrong(MessageShape shape, int rank, boolean inPlace, ByteBuffer out, ByteBuffer buffer) {
        if (collective == PerfCollective.REDUCE && rank != root) {
            return 0;
        }
        ByteBuffer result = inPlace ? buffer : out;
        long first = 0;
        long length = shape.countElements();
        if (collective == PerfCollective.ALLGATHER) {
            length = shape.outputElements();
        } else if (collective == PerfCollective.REDUCESCATTER && inPlace) {
            first = rank * shape.countElements();
        }
        double tolerance = op == ReduceOp.AVG && type.isFloatingPoint() ? relativeRounding(type) : 0;
        long wrong = 0;
        for (long i = first; i < first + length; i++) {
            double expected = expected(shape, rank, inPlace, i);
            double got = Elements.get(result, i, type);
            if (!(Math.abs(got - expected) <= tolerance * Math.abs(expected))) {
                wrong++;
            }
        }
        return wrong;
    }

    /**
     * The expected value of element {@code index} of {@code rank}'s result buffer: the output out
     * of place, the single buffer in place.
     */
    double expected(MessageShape shape, int rank, boolean inPlace, long index) {
        long count = shape.countElements();
        switch (collective) {
            case ALLGATHER:
                return input((int) (index / count), index % count);
            case BROADCAST:
                return input(root, index);
            case REDUCESCATTER:
                return reduced(inPlace ? index : rank * count + index);
            default:
                return reduced(index);
        }
    }

    private double[] reducePeriod() {
        int period = period();
        double[] reduced = new double[period];
        for (int i = 0; i < period; i++) {
            long acc = input(0, i);
            for (int r = 1; r < ranks; r++) {
                long v = input(r, i);
                switch (op) {
                    case SUM:
                    case AVG:
                        acc += v;
                        break;
                    case MIN:
                        acc = Math.min(acc, v);
                        break;
                    case MAX:
                        acc = Math.max(acc, v);
                        break;
                    case BAND:
                        acc &= v;
                        break;
                    case BOR:
                        acc |= v;
                        break;
                    case BXOR:
                        acc ^= v;
                        break;
                    default:
                        throw new AssertionError(op);
                }
            }
            if (op == ReduceOp.AVG) {
                // Sum, then divide in the accumulation type: integer division truncates toward zero.
                reduced[i] = type.isFloatingPoint() ? (double) acc / ranks : (long) Elements.wrap(type, acc) / ranks;
            } else {
                reduced[i] = Elements.wrap(type, acc);
            }
        }
        return reduced;
    }

    private int period() {
        switch (op) {
            case SUM:
            case AVG:
                return (int) sumModulus;
            case MIN:
            case MAX:
                return 11;
            default:
                return 128;
        }
    }

    private static double poison(double expected) {
        return expected >= 1 ? expected - 1 : expected + 1;
    }

    private static long sumLimit(DataType type) {
        switch (type) {
            case INT8: return 127;
            case UINT8: return 255;
            case BFLOAT16: return 256;
            case FLOAT16: return 2048;
            case FLOAT32: return 1 << 24;
            default: return 1 << 30;
        }
    }

    private static int prodLimitLog2(DataType type) {
        switch (type) {
            case INT8: return 6;
            case UINT8: return 7;
            case BFLOAT16: return 8;
            case FLOAT16: return 11;
            case FLOAT32: return 24;
            default: return 30;
        }
    }

    /** Twice the unit roundoff of the type: room for the one rounding of avg's division. */
    private static double relativeRounding(DataType type) {
        switch (type) {
            case BFLOAT16: return 0x1p-7;
            case FLOAT16: return 0x1p-10;
            case FLOAT32: return 0x1p-23;
            default: return 0x1p-52;
        }
    }
}
