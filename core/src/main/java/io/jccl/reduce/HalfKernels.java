package io.jccl.reduce;

import io.jccl.ReduceOp;

import java.nio.ShortBuffer;

/**
 * float16 and bfloat16 kernels over {@link Workspace} chunk arrays (see there for why): widen to
 * float, combine (and divide) in float, round to nearest even once when storing. A divisor is
 * therefore fused into the loop, never a second pass, which would round twice. Each array loop is its
 * own small method so C2 inlines the conversions into it.
 */
final class HalfKernels {
    private HalfKernels() {
    }

    /** {@code brain}: bfloat16, else IEEE binary16. */
    static void reduce(boolean brain, ReduceOp op, Workspace w, ShortBuffer d, int di, ShortBuffer a, int ai,
                       ShortBuffer b, int bi, int n, int divisor) {
        short[] x = w.shortsX();
        short[] y = w.shortsY();
        float f = divisor;
        boolean div = divisor > 1;
        for (int done = 0; done < n; done += x.length) {
            int len = Math.min(x.length, n - done);
            a.get(ai + done, x, 0, len);
            b.get(bi + done, y, 0, len);
            if (brain) {
                combineBFloat16(op, x, y, len, div, f);
            } else {
                combineFloat16(op, x, y, len, div, f);
            }
            d.put(di + done, x, 0, len);
        }
    }

    /** In-place {@code buf[i] = round(float(buf[i]) / divisor)}. */
    static void divide(boolean brain, Workspace w, ShortBuffer d, int di, int n, int divisor) {
        short[] x = w.shortsX();
        float f = divisor;
        for (int done = 0; done < n; done += x.length) {
            int len = Math.min(x.length, n - done);
            d.get(di + done, x, 0, len);
            if (brain) {
                bfloat16Div(x, len, f);
            } else {
                float16Div(x, len, f);
            }
            d.put(di + done, x, 0, len);
        }
    }

    private static void combineFloat16(ReduceOp op, short[] x, short[] y, int len, boolean div, float f) {
        switch (op) {
            case SUM:
            case AVG:
                if (div) {
                    float16SumDiv(x, y, len, f);
                } else {
                    float16Sum(x, y, len);
                }
                return;
            case PROD:
            case MIN:
            case MAX:
                if (div) {
                    float16Generic(op, x, y, len, f);
                } else if (op == ReduceOp.PROD) {
                    float16Prod(x, y, len);
                } else if (op == ReduceOp.MIN) {
                    float16Min(x, y, len);
                } else {
                    float16Max(x, y, len);
                }
                return;
            default:
                throw new AssertionError(op);
        }
    }

    private static void combineBFloat16(ReduceOp op, short[] x, short[] y, int len, boolean div, float f) {
        switch (op) {
            case SUM:
            case AVG:
                if (div) {
                    bfloat16SumDiv(x, y, len, f);
                } else {
                    bfloat16Sum(x, y, len);
                }
                return;
            case PROD:
            case MIN:
            case MAX:
                if (div) {
                    bfloat16Generic(op, x, y, len, f);
                } else if (op == ReduceOp.PROD) {
                    bfloat16Prod(x, y, len);
                } else if (op == ReduceOp.MIN) {
                    bfloat16Min(x, y, len);
                } else {
                    bfloat16Max(x, y, len);
                }
                return;
            default:
                throw new AssertionError(op);
        }
    }

    private static void float16Sum(short[] x, short[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = Float16.fromFloat(Float16.toFloat(x[i]) + Float16.toFloat(y[i]));
        }
    }

    private static void float16SumDiv(short[] x, short[] y, int len, float f) {
        for (int i = 0; i < len; i++) {
            x[i] = Float16.fromFloat((Float16.toFloat(x[i]) + Float16.toFloat(y[i])) / f);
        }
    }

    private static void float16Prod(short[] x, short[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = Float16.fromFloat(Float16.toFloat(x[i]) * Float16.toFloat(y[i]));
        }
    }

    private static void float16Min(short[] x, short[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = Float16.fromFloat(Math.min(Float16.toFloat(x[i]), Float16.toFloat(y[i])));
        }
    }

    private static void float16Max(short[] x, short[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = Float16.fromFloat(Math.max(Float16.toFloat(x[i]), Float16.toFloat(y[i])));
        }
    }

    /** The rare non-SUM op with a divisor: combine and divide in float, round once. */
    private static void float16Generic(ReduceOp op, short[] x, short[] y, int len, float f) {
        for (int i = 0; i < len; i++) {
            x[i] = Float16.fromFloat(combine(op, Float16.toFloat(x[i]), Float16.toFloat(y[i])) / f);
        }
    }

    private static void float16Div(short[] x, int len, float f) {
        for (int i = 0; i < len; i++) {
            x[i] = Float16.fromFloat(Float16.toFloat(x[i]) / f);
        }
    }

    private static void bfloat16Sum(short[] x, short[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = BFloat16.fromFloat(BFloat16.toFloat(x[i]) + BFloat16.toFloat(y[i]));
        }
    }

    private static void bfloat16SumDiv(short[] x, short[] y, int len, float f) {
        for (int i = 0; i < len; i++) {
            x[i] = BFloat16.fromFloat((BFloat16.toFloat(x[i]) + BFloat16.toFloat(y[i])) / f);
        }
    }

    private static void bfloat16Prod(short[] x, short[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = BFloat16.fromFloat(BFloat16.toFloat(x[i]) * BFloat16.toFloat(y[i]));
        }
    }

    private static void bfloat16Min(short[] x, short[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = BFloat16.fromFloat(Math.min(BFloat16.toFloat(x[i]), BFloat16.toFloat(y[i])));
        }
    }

    private static void bfloat16Max(short[] x, short[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = BFloat16.fromFloat(Math.max(BFloat16.toFloat(x[i]), BFloat16.toFloat(y[i])));
        }
    }

    /** The rare non-SUM op with a divisor: combine and divide in float, round once. */
    private static void bfloat16Generic(ReduceOp op, short[] x, short[] y, int len, float f) {
        for (int i = 0; i < len; i++) {
            x[i] = BFloat16.fromFloat(combine(op, BFloat16.toFloat(x[i]), BFloat16.toFloat(y[i])) / f);
        }
    }

    private static void bfloat16Div(short[] x, int len, float f) {
        for (int i = 0; i < len; i++) {
            x[i] = BFloat16.fromFloat(BFloat16.toFloat(x[i]) / f);
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
