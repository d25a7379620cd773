package io.jccl.bench.perf;

import io.jccl.DataType;
import io.jccl.ReduceOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class CheckDataTest {
    private static final List<Object[]> TYPE_OPS = List.of(
            new Object[] {DataType.FLOAT32, ReduceOp.SUM}, new Object[] {DataType.BFLOAT16, ReduceOp.SUM},
            new Object[] {DataType.FLOAT16, ReduceOp.PROD}, new Object[] {DataType.INT8, ReduceOp.SUM},
            new Object[] {DataType.UINT8, ReduceOp.MAX}, new Object[] {DataType.INT32, ReduceOp.MIN},
            new Object[] {DataType.INT64, ReduceOp.BXOR}, new Object[] {DataType.INT32, ReduceOp.BAND},
            new Object[] {DataType.UINT8, ReduceOp.BOR}, new Object[] {DataType.FLOAT32, ReduceOp.AVG},
            new Object[] {DataType.BFLOAT16, ReduceOp.AVG}, new Object[] {DataType.INT32, ReduceOp.AVG},
            new Object[] {DataType.FLOAT64, ReduceOp.PROD}, new Object[] {DataType.INT8, ReduceOp.PROD},
            new Object[] {DataType.BFLOAT16, ReduceOp.PROD});

    /** The reduction by its definition, in exact long arithmetic. */
    private static long exactReduction(ReduceOp op, long[] values) {
        long acc = values[0];
        for (int k = 1; k < values.length; k++) {
            long v = values[k];
            switch (op) {
                case SUM: case AVG: acc += v; break;
                case PROD: acc *= v; break;
                case MIN: acc = Math.min(acc, v); break;
                case MAX: acc = Math.max(acc, v); break;
                case BAND: acc &= v; break;
                case BOR: acc |= v; break;
                case BXOR: acc ^= v; break;
                default: throw new AssertionError(op);
            }
        }
        return acc;
    }

    private static ByteBuffer buffer(long elements, DataType type) {
        return ByteBuffer.allocateDirect((int) Math.max(1, elements * type.sizeBytes())).order(ByteOrder.nativeOrder());
    }

    @Test
    void shouldProduceExactResultsWhenReducedOverManyRanks() {
        ByteBuffer one = buffer(1, DataType.FLOAT64);
        for (Object[] to : TYPE_OPS) {
            DataType type = (DataType) to[0];
            ReduceOp op = (ReduceOp) to[1];
            for (int n : new int[] {1, 2, 3, 7, 16, 100}) {
                CheckData data = new CheckData(PerfCollective.ALLREDUCE, type, op, n, 0);
                for (long i = 0; i < 600; i++) {
                    long[] values = new long[n];
                    for (int r = 0; r < n; r++) {
                        values[r] = data.input(r, i);
                        Elements.put(one, 0, type, values[r]);
                        assertEquals(values[r], Elements.get(one, 0, type), "input not representable " + type);
                    }
                    long exact = exactReduction(op, values);
                    String what = type + " " + op + " n=" + n + " i=" + i;
                    if (op == ReduceOp.AVG) {
                        double avg = type.isFloatingPoint() ? (double) exact / n : exact / n;
                        assertEquals(avg, data.reduced(i), Math.abs(avg) * 0x1p-7, what);
                    } else {
                        assertEquals(exact, data.reduced(i), 0.0, what);
                        Elements.put(one, 0, type, exact);
                        assertEquals(exact, Elements.get(one, 0, type), 0.0, "result not representable " + what);
                    }
                }
            }
        }
    }

    @Test
    void shouldVaryInputsWhenRanksAndIndicesDiffer() {
        for (Object[] to : TYPE_OPS) {
            CheckData data = new CheckData(PerfCollective.ALLREDUCE, (DataType) to[0], (ReduceOp) to[1], 4, 0);
            java.util.Set<Long> seen = new java.util.HashSet<>();
            for (int r = 0; r < 4; r++) {
                for (long i = 0; i < 50; i++) {
                    seen.add(data.input(r, i));
                }
            }
            assertTrue(seen.size() >= 2, to[0] + " " + to[1] + " inputs are constant");
        }
    }

    @Test
    void shouldCountNoWrongElementWhenCollectiveIsCorrect() {
        for (PerfCollective c : PerfCollective.values()) {
            for (Object[] to : TYPE_OPS) {
                for (int n : new int[] {1, 3, 4}) {
                    for (boolean inPlace : new boolean[] {false, true}) {
                        simulateAndCheck(c, (DataType) to[0], (ReduceOp) to[1], n, inPlace);
                    }
                }
            }
        }
    }

    /**
     * Prepares every rank's buffers, computes the collective's result by its definition, then
     * expects no wrong element; one corrupted element must then count as one; and an output the
     * collective never wrote must be all wrong.
     */
    private static void simulateAndCheck(PerfCollective c, DataType type, ReduceOp op, int n, boolean inPlace) {
        int root = n > 1 ? 1 : 0;
        MessageShape shape = c.shape(37L * n * type.sizeBytes() + 3, type, n);
        CheckData data = new CheckData(c, type, op, n, root);
        long count = shape.countElements();
        long bufferElements = Math.max(shape.inPlaceElements(), Math.max(shape.inputElements(), shape.outputElements()));
        ByteBuffer[] in = new ByteBuffer[n];
        ByteBuffer[] out = new ByteBuffer[n];
        for (int r = 0; r < n; r++) {
            in[r] = buffer(bufferElements, type);
            out[r] = buffer(bufferElements, type);
            data.prepare(shape, r, inPlace, in[r], out[r], out[r]);
        }
        String what = c + " " + type + " " + op + " n=" + n + (inPlace ? " in place" : " out of place");
        for (int r = 0; r < n; r++) {
            long checked = c == PerfCollective.REDUCE && r != root ? 0
                    : c == PerfCollective.ALLGATHER ? shape.outputElements() : count;
            if (!inPlace) {
                assertEquals(checked, data.countWrong(shape, r, false, out[r], null), "unwritten output, " + what);
            }
        }
        // The ranks' contributions, read where the API says each collective takes them.
        double[][] contribution = new double[n][];
        for (int r = 0; r < n; r++) {
            ByteBuffer source = inPlace ? out[r] : in[r];
            long first = inPlace && c == PerfCollective.ALLGATHER ? r * count : 0;
            long length = c == PerfCollective.REDUCESCATTER ? n * count : count;
            contribution[r] = new double[(int) length];
            for (int i = 0; i < length; i++) {
                contribution[r][i] = Elements.get(source, first + i, type);
            }
        }
        ByteBuffer[] results = out; // the output out of place, the single buffer in place
        for (int r = 0; r < n; r++) {
            switch (c) {
                case ALLGATHER:
                    for (int b = 0; b < n; b++) {
                        for (int j = 0; j < count; j++) {
                            Elements.put(results[r], b * count + j, type, contribution[b][j]);
                        }
                    }
                    break;
                case BROADCAST:
                    for (int j = 0; j < count; j++) {
                        Elements.put(results[r], j, type, contribution[root][j]);
                    }
                    break;
                case REDUCESCATTER:
                    for (int j = 0; j < count; j++) {
                        long at = (inPlace ? r * count : 0) + j;
                        Elements.put(results[r], at, type, reduceColumn(contribution, (int) (r * count + j), op, type, n));
                    }
                    break;
                default:
                    if (c == PerfCollective.REDUCE && r != root) {
                        break;
                    }
                    for (int j = 0; j < count; j++) {
                        Elements.put(results[r], j, type, reduceColumn(contribution, j, op, type, n));
                    }
            }
        }
        for (int r = 0; r < n; r++) {
            assertEquals(0, data.countWrong(shape, r, inPlace, out[r], out[r]), "rank " + r + ", " + what);
        }
        if (count > 0) {
            int r = root;
            long at = c == PerfCollective.REDUCESCATTER && inPlace ? r * count + 5 : 5;
            double v = Elements.get(out[r], at, type);
            Elements.put(out[r], at, type, v >= 1 ? v - 1 : v + 1);
            assertEquals(1, data.countWrong(shape, r, inPlace, out[r], out[r]), "corrupted, " + what);
        }
    }

    private static double reduceColumn(double[][] contribution, int index, ReduceOp op, DataType type, int n) {
        long[] values = new long[n];
        for (int r = 0; r < n; r++) {
            values[r] = (long) contribution[r][index];
        }
        long exact = exactReduction(op, values);
        if (op == ReduceOp.AVG) {
            return type.isFloatingPoint() ? (double) exact / n : exact / n;
        }
        return exact;
    }
}
