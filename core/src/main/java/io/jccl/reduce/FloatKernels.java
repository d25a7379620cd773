package io.jccl.reduce;

import io.jccl.ReduceOp;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * float32 and float64 loops over typed views. Each loop is its own small method: one big method with
 * all loops blows C2's inlining budget, and the buffer accessors then stay calls (8x slower).
 * {@code di/ai/bi} are element indices into the views.
 */
final class FloatKernels {
    private FloatKernels() {
    }

    static void float32(ReduceOp op, FloatBuffer d, int di, FloatBuffer a, int ai, FloatBuffer b, int bi, int n, int divisor) {
        switch (op) {
            case SUM:
            case AVG:
                if (divisor > 1) {
                    float32SumDiv(d, di, a, ai, b, bi, n, divisor);
                    return;
                }
                float32Sum(d, di, a, ai, b, bi, n);
                break;
            case PROD:
                float32Prod(d, di, a, ai, b, bi, n);
                break;
            case MIN:
                float32Min(d, di, a, ai, b, bi, n);
                break;
            case MAX:
                float32Max(d, di, a, ai, b, bi, n);
                break;
            default:
                throw new AssertionError(op);
        }
        if (divisor > 1) {
            divide32(d, di, n, divisor);
        }
    }

    private static void float32Sum(FloatBuffer d, int di, FloatBuffer a, int ai, FloatBuffer b, int bi, int n) {
        if (ai == di && bi == di) {
            // One induction variable as the index lets C2 vectorize; an offset sum (int, may overflow) does not.
            for (int i = di, end = di + n; i < end; i++) {
                d.put(i, a.get(i) + b.get(i));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            d.put(di + i, a.get(ai + i) + b.get(bi + i));
        }
    }

    private static void float32Prod(FloatBuffer d, int di, FloatBuffer a, int ai, FloatBuffer b, int bi, int n) {
        if (ai == di && bi == di) {
            // One induction variable as the index lets C2 vectorize; an offset sum (int, may overflow) does not.
            for (int i = di, end = di + n; i < end; i++) {
                d.put(i, a.get(i) * b.get(i));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            d.put(di + i, a.get(ai + i) * b.get(bi + i));
        }
    }

    private static void float32Min(FloatBuffer d, int di, FloatBuffer a, int ai, FloatBuffer b, int bi, int n) {
        if (ai == di && bi == di) {
            // One induction variable as the index lets C2 vectorize; an offset sum (int, may overflow) does not.
            for (int i = di, end = di + n; i < end; i++) {
                d.put(i, Math.min(a.get(i), b.get(i)));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            d.put(di + i, Math.min(a.get(ai + i), b.get(bi + i)));
        }
    }

    private static void float32Max(FloatBuffer d, int di, FloatBuffer a, int ai, FloatBuffer b, int bi, int n) {
        if (ai == di && bi == di) {
            // One induction variable as the index lets C2 vectorize; an offset sum (int, may overflow) does not.
            for (int i = di, end = di + n; i < end; i++) {
                d.put(i, Math.max(a.get(i), b.get(i)));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            d.put(di + i, Math.max(a.get(ai + i), b.get(bi + i)));
        }
    }

    private static void float32SumDiv(FloatBuffer d, int di, FloatBuffer a, int ai, FloatBuffer b, int bi, int n, int divisor) {
        float f = divisor;
        if (ai == di && bi == di) {
            // One induction variable as the index lets C2 vectorize; an offset sum (int, may overflow) does not.
            for (int i = di, end = di + n; i < end; i++) {
                d.put(i, (a.get(i) + b.get(i)) / f);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            d.put(di + i, (a.get(ai + i) + b.get(bi + i)) / f);
        }
    }

    static void divide32(FloatBuffer d, int di, int n, int divisor) {
        float f = divisor;
        for (int i = 0; i < n; i++) {
            d.put(di + i, d.get(di + i) / f);
        }
    }

    static void float64(ReduceOp op, DoubleBuffer d, int di, DoubleBuffer a, int ai, DoubleBuffer b, int bi, int n, int divisor) {
        switch (op) {
            case SUM:
            case AVG:
                if (divisor > 1) {
                    float64SumDiv(d, di, a, ai, b, bi, n, divisor);
                    return;
                }
                float64Sum(d, di, a, ai, b, bi, n);
                break;
            case PROD:
                float64Prod(d, di, a, ai, b, bi, n);
                break;
            case MIN:
                float64Min(d, di, a, ai, b, bi, n);
                break;
            case MAX:
                float64Max(d, di, a, ai, b, bi, n);
                break;
            default:
                throw new AssertionError(op);
        }
        if (divisor > 1) {
            divide64(d, di, n, divisor);
        }
    }

    private static void float64Sum(DoubleBuffer d, int di, DoubleBuffer a, int ai, DoubleBuffer b, int bi, int n) {
        if (ai == di && bi == di) {
            // One induction variable as the index lets C2 vectorize; an offset sum (int, may overflow) does not.
            for (int i = di, end = di + n; i < end; i++) {
                d.put(i, a.get(i) + b.get(i));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            d.put(di + i, a.get(ai + i) + b.get(bi + i));
        }
    }

    private static void float64Prod(DoubleBuffer d, int di, DoubleBuffer a, int ai, DoubleBuffer b, int bi, int n) {
        if (ai == di && bi == di) {
            // One induction variable as the index lets C2 vectorize; an offset sum (int, may overflow) does not.
            for (int i = di, end = di + n; i < end; i++) {
                d.put(i, a.get(i) * b.get(i));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            d.put(di + i, a.get(ai + i) * b.get(bi + i));
        }
    }

    private static void float64Min(DoubleBuffer d, int di, DoubleBuffer a, int ai, DoubleBuffer b, int bi, int n) {
        if (ai == di && bi == di) {
            // One induction variable as the index lets C2 vectorize; an offset sum (int, may overflow) does not.
            for (int i = di, end = di + n; i < end; i++) {
                d.put(i, Math.min(a.get(i), b.get(i)));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            d.put(di + i, Math.min(a.get(ai + i), b.get(bi + i)));
        }
    }

    private static void float64Max(DoubleBuffer d, int di, DoubleBuffer a, int ai, DoubleBuffer b, int bi, int n) {
        if (ai == di && bi == di) {
            // One induction variable as the index lets C2 vectorize; an offset sum (int, may overflow) does not.
            for (int i = di, end = di + n; i < end; i++) {
                d.put(i, Math.max(a.get(i), b.get(i)));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            d.put(di + i, Math.max(a.get(ai + i), b.get(bi + i)));
        }
    }

    private static void float64SumDiv(DoubleBuffer d, int di, DoubleBuffer a, int ai, DoubleBuffer b, int bi, int n, int divisor) {
        double f = divisor;
        if (ai == di && bi == di) {
            // One induction variable as the index lets C2 vectorize; an offset sum (int, may overflow) does not.
            for (int i = di, end = di + n; i < end; i++) {
                d.put(i, (a.get(i) + b.get(i)) / f);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            d.put(di + i, (a.get(ai + i) + b.get(bi + i)) / f);
        }
    }

    static void divide64(DoubleBuffer d, int di, int n, int divisor) {
        double f = divisor;
        for (int i = 0; i < n; i++) {
            d.put(di + i, d.get(di + i) / f);
        }
    }
}
