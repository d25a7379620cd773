package io.jccl.reduce;

import io.jccl.ReduceOp;

import java.nio.ShortBuffer;

/**
 * float16 and bfloat16 loops: widen to float, combine (and divide) in float, round to nearest even
 * once when storing. A divisor is therefore fused into the loop, never a second pass, which would
 * round twice. SUM/AVG get dedicated loops; other ops with a divisor (rare) share a generic one.
 * Each loop is its own small method so C2 inlines the buffer accessors and conversions.
 */
final class HalfKernels {
    private HalfKernels() {
    }

    static void float16(ReduceOp op, ShortBuffer d, int di, ShortBuffer a, int ai, ShortBuffer b, int bi, int n, int divisor) {
        if (divisor > 1 && op != ReduceOp.SUM && op != ReduceOp.AVG) {
            float16Generic(op, d, di, a, ai, b, bi, n, divisor);
            return;
        }
        switch (op) {
            case SUM:
            case AVG:
                if (divisor > 1) {
                    float16SumDiv(d, di, a, ai, b, bi, n, divisor);
                } else {
                    float16Sum(d, di, a, ai, b, bi, n);
                }
                break;
            case PROD:
                float16Prod(d, di, a, ai, b, bi, n);
                break;
            case MIN:
                float16Min(d, di, a, ai, b, bi, n);
                break;
            case MAX:
                float16Max(d, di, a, ai, b, bi, n);
                break;
            default:
                throw new AssertionError(op);
        }
    }

    private static void float16Generic(ReduceOp op, ShortBuffer d, int di, ShortBuffer a, int ai, ShortBuffer b, int bi, int n, int divisor) {
        float f = divisor;
        if (ai == di && bi == di) {
            // One induction variable as the index lets C2 vectorize; an offset sum (int, may overflow) does not.
            for (int i = di, end = di + n; i < end; i++) {
                float r = combine(op, Float16.toFloat(a.get(i)), Float16.toFloat(b.get(i)));
                d.put(i, Float16.fromFloat(r / f));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            float r = combine(op, Float16.toFloat(a.get(ai + i)), Float16.toFloat(b.get(bi + i)));
            d.put(di + i, Float16.fromFloat(r / f));
        }
    }

    private static void float16SumDiv(ShortBuffer d, int di, ShortBuffer a, int ai, ShortBuffer b, int bi, int n, int divisor) {
        float f = divisor;
        if (ai == di && bi == di) {
            // One induction variable as the index lets C2 vectorize; an offset sum (int, may overflow) does not.
            for (int i = di, end = di + n; i < end; i++) {
                float r = Float16.toFloat(a.get(i)) + Float16.toFloat(b.get(i));
                d.put(i, Float16.fromFloat(r / f));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            float r = Float16.toFloat(a.get(ai + i)) + Float16.toFloat(b.get(bi + i));
            d.put(di + i, Float16.fromFloat(r / f));
        }
    }

    private static void float16Sum(ShortBuffer d, int di, ShortBuffer a, int ai, ShortBuffer b, int bi, int n) {
        if (ai == di && bi == di) {
            // One induction variable as the index lets C2 vectorize; an offset sum (int, may overflow) does not.
            for (int i = di, end = di + n; i < end; i++) {
                float x = Float16.toFloat(a.get(i));
                float y = Float16.toFloat(b.get(i));
                d.put(i, Float16.fromFloat(x + y));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            float x = Float16.toFloat(a.get(ai + i));
            float y = Float16.toFloat(b.get(bi + i));
            d.put(di + i, Float16.fromFloat(x + y));
        }
    }

    private static void float16Prod(ShortBuffer d, int di, ShortBuffer a, int ai, ShortBuffer b, int bi, int n) {
        if (ai == di && bi == di) {
            // One induction variable as the index lets C2 vectorize; an offset sum (int, may overflow) does not.
            for (int i = di, end = di + n; i < end; i++) {
                float x = Float16.toFloat(a.get(i));
                float y = Float16.toFloat(b.get(i));
                d.put(i, Float16.fromFloat(x * y));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            float x = Float16.toFloat(a.get(ai + i));
            float y = Float16.toFloat(b.get(bi + i));
            d.put(di + i, Float16.fromFloat(x * y));
        }
    }

    private static void float16Min(ShortBuffer d, int di, ShortBuffer a, int ai, ShortBuffer b, int bi, int n) {
        if (ai == di && bi == di) {
            // One induction variable as the index lets C2 vectorize; an offset sum (int, may overflow) does not.
            for (int i = di, end = di + n; i < end; i++) {
                float x = Float16.toFloat(a.get(i));
                float y = Float16.toFloat(b.get(i));
                d.put(i, Float16.fromFloat(Math.min(x, y)));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            float x = Float16.toFloat(a.get(ai + i));
            float y = Float16.toFloat(b.get(bi + i));
            d.put(di + i, Float16.fromFloat(Math.min(x, y)));
        }
    }

    private static void float16Max(ShortBuffer d, int di, ShortBuffer a, int ai, ShortBuffer b, int bi, int n) {
        if (ai == di && bi == di) {
            // One induction variable as the index lets C2 vectorize; an offset sum (int, may overflow) does not.
            for (int i = di, end = di + n; i < end; i++) {
                float x = Float16.toFloat(a.get(i));
                float y = Float16.toFloat(b.get(i));
                d.put(i, Float16.fromFloat(Math.max(x, y)));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            float x = Float16.toFloat(a.get(ai + i));
            float y = Float16.toFloat(b.get(bi + i));
            d.put(di + i, Float16.fromFloat(Math.max(x, y)));
        }
    }

    static void bfloat16(ReduceOp op, ShortBuffer d, int di, ShortBuffer a, int ai, ShortBuffer b, int bi, int n, int divisor) {
        if (divisor > 1 && op != ReduceOp.SUM && op != ReduceOp.AVG) {
            bfloat16Generic(op, d, di, a, ai, b, bi, n, divisor);
            return;
        }
        switch (op) {
            case SUM:
            case AVG:
                if (divisor > 1) {
                    bfloat16SumDiv(d, di, a, ai, b, bi, n, divisor);
                } else {
                    bfloat16Sum(d, di, a, ai, b, bi, n);
                }
                break;
            case PROD:
                bfloat16Prod(d, di, a, ai, b, bi, n);
                break;
            case MIN:
                bfloat16Min(d, di, a, ai, b, bi, n);
                break;
            case MAX:
                bfloat16Max(d, di, a, ai, b, bi, n);
                break;
            default:
                throw new AssertionError(op);
        }
    }

    private static void bfloat16Generic(ReduceOp op, ShortBuffer d, int di, ShortBuffer a, int ai, ShortBuffer b, int bi, int n, int divisor) {
        float f = divisor;
        if (ai == di && bi == di) {
            // One induction variable as the index lets C2 vectorize; an offset sum (int, may overflow) does not.
            for (int i = di, end = di + n; i < end; i++) {
                float r = combine(op, BFloat16.toFloat(a.get(i)), BFloat16.toFloat(b.get(i)));
                d.put(i, BFloat16.fromFloat(r / f));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            float r = combine(op, BFloat16.toFloat(a.get(ai + i)), BFloat16.toFloat(b.get(bi + i)));
            d.put(di + i, BFloat16.fromFloat(r / f));
        }
    }

    private static void bfloat16SumDiv(ShortBuffer d, int di, ShortBuffer a, int ai, ShortBuffer b, int bi, int n, int divisor) {
        float f = divisor;
        if (ai == di && bi == di) {
            // One induction variable as the index lets C2 vectorize; an offset sum (int, may overflow) does not.
            for (int i = di, end = di + n; i < end; i++) {
                float r = BFloat16.toFloat(a.get(i)) + BFloat16.toFloat(b.get(i));
                d.put(i, BFloat16.fromFloat(r / f));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            float r = BFloat16.toFloat(a.get(ai + i)) + BFloat16.toFloat(b.get(bi + i));
            d.put(di + i, BFloat16.fromFloat(r / f));
        }
    }

    private static void bfloat16Sum(ShortBuffer d, int di, ShortBuffer a, int ai, ShortBuffer b, int bi, int n) {
        if (ai == di && bi == di) {
            // One induction variable as the index lets C2 vectorize; an offset sum (int, may overflow) does not.
            for (int i = di, end = di + n; i < end; i++) {
                float x = BFloat16.toFloat(a.get(i));
                float y = BFloat16.toFloat(b.get(i));
                d.put(i, BFloat16.fromFloat(x + y));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            float x = BFloat16.toFloat(a.get(ai + i));
            float y = BFloat16.toFloat(b.get(bi + i));
            d.put(di + i, BFloat16.fromFloat(x + y));
        }
    }

    private static void bfloat16Prod(ShortBuffer d, int di, ShortBuffer a, int ai, ShortBuffer b, int bi, int n) {
        if (ai == di && bi == di) {
            // One induction variable as the index lets C2 vectorize; an offset sum (int, may overflow) does not.
            for (int i = di, end = di + n; i < end; i++) {
                float x = BFloat16.toFloat(a.get(i));
                float y = BFloat16.toFloat(b.get(i));
                d.put(i, BFloat16.fromFloat(x * y));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            float x = BFloat16.toFloat(a.get(ai + i));
            float y = BFloat16.toFloat(b.get(bi + i));
            d.put(di + i, BFloat16.fromFloat(x * y));
        }
    }

    private static void bfloat16Min(ShortBuffer d, int di, ShortBuffer a, int ai, ShortBuffer b, int bi, int n) {
        if (ai == di && bi == di) {
            // One induction variable as the index lets C2 vectorize; an offset sum (int, may overflow) does not.
            for (int i = di, end = di + n; i < end; i++) {
                float x = BFloat16.toFloat(a.get(i));
                float y = BFloat16.toFloat(b.get(i));
                d.put(i, BFloat16.fromFloat(Math.min(x, y)));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            float x = BFloat16.toFloat(a.get(ai + i));
            float y = BFloat16.toFloat(b.get(bi + i));
            d.put(di + i, BFloat16.fromFloat(Math.min(x, y)));
        }
    }

    private static void bfloat16Max(ShortBuffer d, int di, ShortBuffer a, int ai, ShortBuffer b, int bi, int n) {
        if (ai == di && bi == di) {
            // One induction variable as the index lets C2 vectorize; an offset sum (int, may overflow) does not.
            for (int i = di, end = di + n; i < end; i++) {
                float x = BFloat16.toFloat(a.get(i));
                float y = BFloat16.toFloat(b.get(i));
                d.put(i, BFloat16.fromFloat(Math.max(x, y)));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            float x = BFloat16.toFloat(a.get(ai + i));
            float y = BFloat16.toFloat(b.get(bi + i));
            d.put(di + i, BFloat16.fromFloat(Math.max(x, y)));
        }
    }

    /** In-place {@code buf[i] = round(float(buf[i]) / divisor)}. */
    static void divide(boolean brain, ShortBuffer d, int di, int n, int divisor) {
        float f = divisor;
        if (brain) {
            for (int i = 0; i < n; i++) {
                d.put(di + i, BFloat16.fromFloat(BFloat16.toFloat(d.get(di + i)) / f));
            }
        } else {
            for (int i = 0; i < n; i++) {
                d.put(di + i, Float16.fromFloat(Float16.toFloat(d.get(di + i)) / f));
            }
        }
    }

    private static float combine(ReduceOp op, float x, float y) {
        switch (op) {
            case PROD: return x * y;
            case MIN: return Math.min(x, y);
            case MAX: return Math.max(x, y);
            default: return x + y;
        }
    }
}
