package io.jccl.reduce;

import io.jccl.ReduceOp;

import java.nio.IntBuffer;
import java.nio.LongBuffer;

/**
 * int32 and int64 kernels over {@link Workspace} chunk arrays (see there for why): wrapping SUM/PROD,
 * signed MIN/MAX, truncating division by the AVG divisor. Bitwise ops are done on raw bytes by
 * {@link ByteKernels#bitwise}. With {@code viewStores} (see {@link ViewStores}) a direct destination
 * receives the combined chunk straight from the loop instead of through a third array copy. Each array loop is its own small method so C2 vectorizes it alone.
 */
final class IntKernels {
    private IntKernels() {
    }

    static void int32(ReduceOp op, Workspace w, boolean viewStores, IntBuffer d, int di, IntBuffer a, int ai, IntBuffer b, int bi, int n,
                      int divisor) {
        int[] x = w.intsX();
        int[] y = w.intsY();
        // A divisor keeps the array path: integer division does not vectorize anyway.
        boolean intoView = viewStores && d.isDirect() && divisor <= 1;
        for (int done = 0; done < n; done += Workspace.INTS) {
            int len = Math.min(Workspace.INTS, n - done);
            a.get(ai + done, x, 0, len);
            b.get(bi + done, y, 0, len);
            if (intoView) {
                storeCombined(op, d, di + done, x, y, len);
                continue;
            }
            switch (op) {
                case SUM:
                case AVG:
                    sum(x, y, len);
                    break;
                case PROD:
                    prod(x, y, len);
                    break;
                case MIN:
                    min(x, y, len);
                    break;
                case MAX:
                    max(x, y, len);
                    break;
                default:
                    throw new AssertionError(op);
            }
            if (divisor > 1) {
                div(x, len, divisor);
            }
            d.put(di + done, x, 0, len);
        }
    }

    /** The view-store path ({@link ViewStores}): {@code d[o + i] = x[i] ⊕ y[i]}. */
    private static void storeCombined(ReduceOp op, IntBuffer d, int o, int[] x, int[] y, int len) {
        switch (op) {
            case SUM:
            case AVG:
                sumInto(d, o, x, y, len);
                break;
            case PROD:
                prodInto(d, o, x, y, len);
                break;
            case MIN:
                minInto(d, o, x, y, len);
                break;
            case MAX:
                maxInto(d, o, x, y, len);
                break;
            default:
                throw new AssertionError(op);
        }
    }

    private static void sumInto(IntBuffer d, int o, int[] x, int[] y, int len) {
        for (int i = 0; i < len; i++) {
            d.put(o + i, x[i] + y[i]);
        }
    }

    private static void prodInto(IntBuffer d, int o, int[] x, int[] y, int len) {
        for (int i = 0; i < len; i++) {
            d.put(o + i, x[i] * y[i]);
        }
    }

    private static void minInto(IntBuffer d, int o, int[] x, int[] y, int len) {
        for (int i = 0; i < len; i++) {
            d.put(o + i, Math.min(x[i], y[i]));
        }
    }

    private static void maxInto(IntBuffer d, int o, int[] x, int[] y, int len) {
        for (int i = 0; i < len; i++) {
            d.put(o + i, Math.max(x[i], y[i]));
        }
    }

    static void divide32(Workspace w, IntBuffer d, int di, int n, int divisor) {
        int[] x = w.intsX();
        for (int done = 0; done < n; done += Workspace.INTS) {
            int len = Math.min(Workspace.INTS, n - done);
            d.get(di + done, x, 0, len);
            div(x, len, divisor);
            d.put(di + done, x, 0, len);
        }
    }

    private static void sum(int[] x, int[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] += y[i];
        }
    }

    private static void prod(int[] x, int[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] *= y[i];
        }
    }

    private static void min(int[] x, int[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = Math.min(x[i], y[i]);
        }
    }

    private static void max(int[] x, int[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = Math.max(x[i], y[i]);
        }
    }

    private static void div(int[] x, int len, int divisor) {
        for (int i = 0; i < len; i++) {
            x[i] /= divisor;
        }
    }

    static void int64(ReduceOp op, Workspace w, boolean viewStores, LongBuffer d, int di, LongBuffer a, int ai, LongBuffer b, int bi, int n,
                      int divisor) {
        long[] x = w.longsX();
        long[] y = w.longsY();
        // A divisor keeps the array path: integer division does not vectorize anyway.
        boolean intoView = viewStores && d.isDirect() && divisor <= 1;
        for (int done = 0; done < n; done += Workspace.LONGS) {
            int len = Math.min(Workspace.LONGS, n - done);
            a.get(ai + done, x, 0, len);
            b.get(bi + done, y, 0, len);
            if (intoView) {
                storeCombined(op, d, di + done, x, y, len);
                continue;
            }
            switch (op) {
                case SUM:
                case AVG:
                    sum(x, y, len);
                    break;
                case PROD:
                    prod(x, y, len);
                    break;
                case MIN:
                    min(x, y, len);
                    break;
                case MAX:
                    max(x, y, len);
                    break;
                default:
                    throw new AssertionError(op);
            }
            if (divisor > 1) {
                div(x, len, divisor);
            }
            d.put(di + done, x, 0, len);
        }
    }

    /** The view-store path ({@link ViewStores}): {@code d[o + i] = x[i] ⊕ y[i]}. */
    private static void storeCombined(ReduceOp op, LongBuffer d, int o, long[] x, long[] y, int len) {
        switch (op) {
            case SUM:
            case AVG:
                sumInto(d, o, x, y, len);
                break;
            case PROD:
                prodInto(d, o, x, y, len);
                break;
            case MIN:
                minInto(d, o, x, y, len);
                break;
            case MAX:
                maxInto(d, o, x, y, len);
                break;
            default:
                throw new AssertionError(op);
        }
    }

    private static void sumInto(LongBuffer d, int o, long[] x, long[] y, int len) {
        for (int i = 0; i < len; i++) {
            d.put(o + i, x[i] + y[i]);
        }
    }

    private static void prodInto(LongBuffer d, int o, long[] x, long[] y, int len) {
        for (int i = 0; i < len; i++) {
            d.put(o + i, x[i] * y[i]);
        }
    }

    private static void minInto(LongBuffer d, int o, long[] x, long[] y, int len) {
        for (int i = 0; i < len; i++) {
            d.put(o + i, Math.min(x[i], y[i]));
        }
    }

    private static void maxInto(LongBuffer d, int o, long[] x, long[] y, int len) {
        for (int i = 0; i < len; i++) {
            d.put(o + i, Math.max(x[i], y[i]));
        }
    }

    static void divide64(Workspace w, LongBuffer d, int di, int n, int divisor) {
        long[] x = w.longsX();
        for (int done = 0; done < n; done += Workspace.LONGS) {
            int len = Math.min(Workspace.LONGS, n - done);
            d.get(di + done, x, 0, len);
            div(x, len, divisor);
            d.put(di + done, x, 0, len);
        }
    }

    private static void sum(long[] x, long[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] += y[i];
        }
    }

    private static void prod(long[] x, long[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] *= y[i];
        }
    }

    private static void min(long[] x, long[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = Math.min(x[i], y[i]);
        }
    }

    private static void max(long[] x, long[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = Math.max(x[i], y[i]);
        }
    }

    private static void div(long[] x, int len, long divisor) {
        for (int i = 0; i < len; i++) {
            x[i] /= divisor;
        }
    }
}
