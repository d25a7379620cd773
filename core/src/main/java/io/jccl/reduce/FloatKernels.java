package io.jccl.reduce;

import io.jccl.ReduceOp;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * float32 and float64 kernels: chunks of the operands are bulk-copied into the {@link Workspace}
 * arrays and combined there (see {@link Workspace} for why); with {@code viewStores} (see
 * {@link ViewStores}) a direct destination receives the combined chunk straight from the loop instead of
 * through a third array copy. {@code di/ai/bi} are element indices into
 * the views. The array loops are separate small methods so that C2 compiles each one as its own
 * vectorized loop; AVG's division is fused into the sum loop.
 */
final class FloatKernels {
    private FloatKernels() {
    }

    static void float32(ReduceOp op, Workspace w, boolean viewStores, FloatBuffer d, int di, FloatBuffer a, int ai, FloatBuffer b, int bi,
                        int n, int divisor) {
        float[] x = w.floatsX();
        float[] y = w.floatsY();
        float f = divisor;
        boolean div = divisor > 1;
        // AVG's division is fused into the view-store sum; other ops with a divisor keep the array path.
        boolean intoView = viewStores && d.isDirect() && (!div || op == ReduceOp.SUM || op == ReduceOp.AVG);
        for (int done = 0; done < n; done += Workspace.FLOATS) {
            int len = Math.min(Workspace.FLOATS, n - done);
            a.get(ai + done, x, 0, len);
            b.get(bi + done, y, 0, len);
            if (intoView) {
                storeCombined(op, d, di + done, x, y, len, div, f);
                continue;
            }
            switch (op) {
                case SUM:
                case AVG:
                    if (div) {
                        sumDiv(x, y, len, f);
                        d.put(di + done, x, 0, len);
                        continue;
                    }
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
            if (div) {
                div(x, len, f);
            }
            d.put(di + done, x, 0, len);
        }
    }

    /** The view-store path ({@link ViewStores}): {@code d[o + i] = x[i] ⊕ y[i]}, divided when {@code div}. */
    private static void storeCombined(ReduceOp op, FloatBuffer d, int o, float[] x, float[] y, int len, boolean div, float f) {
        switch (op) {
            case SUM:
            case AVG:
                if (div) {
                    sumDivInto(d, o, x, y, len, f);
                } else {
                    sumInto(d, o, x, y, len);
                }
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

    private static void sumInto(FloatBuffer d, int o, float[] x, float[] y, int len) {
        for (int i = 0; i < len; i++) {
            d.put(o + i, x[i] + y[i]);
        }
    }

    private static void sumDivInto(FloatBuffer d, int o, float[] x, float[] y, int len, float f) {
        for (int i = 0; i < len; i++) {
            d.put(o + i, (x[i] + y[i]) / f);
        }
    }

    private static void prodInto(FloatBuffer d, int o, float[] x, float[] y, int len) {
        for (int i = 0; i < len; i++) {
            d.put(o + i, x[i] * y[i]);
        }
    }

    private static void minInto(FloatBuffer d, int o, float[] x, float[] y, int len) {
        for (int i = 0; i < len; i++) {
            d.put(o + i, Math.min(x[i], y[i]));
        }
    }

    private static void maxInto(FloatBuffer d, int o, float[] x, float[] y, int len) {
        for (int i = 0; i < len; i++) {
            d.put(o + i, Math.max(x[i], y[i]));
        }
    }

    static void divide32(Workspace w, FloatBuffer d, int di, int n, int divisor) {
        float[] x = w.floatsX();
        float f = divisor;
        for (int done = 0; done < n; done += Workspace.FLOATS) {
            int len = Math.min(Workspace.FLOATS, n - done);
            d.get(di + done, x, 0, len);
            div(x, len, f);
            d.put(di + done, x, 0, len);
        }
    }

    private static void sum(float[] x, float[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] += y[i];
        }
    }

    private static void sumDiv(float[] x, float[] y, int len, float f) {
        for (int i = 0; i < len; i++) {
            x[i] = (x[i] + y[i]) / f;
        }
    }

    private static void prod(float[] x, float[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] *= y[i];
        }
    }

    private static void min(float[] x, float[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = Math.min(x[i], y[i]);
        }
    }

    private static void max(float[] x, float[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = Math.max(x[i], y[i]);
        }
    }

    private static void div(float[] x, int len, float f) {
        for (int i = 0; i < len; i++) {
            x[i] /= f;
        }
    }

    static void float64(ReduceOp op, Workspace w, boolean viewStores, DoubleBuffer d, int di, DoubleBuffer a, int ai, DoubleBuffer b,
                        int bi, int n, int divisor) {
        double[] x = w.doublesX();
        double[] y = w.doublesY();
        double f = divisor;
        boolean div = divisor > 1;
        // AVG's division is fused into the view-store sum; other ops with a divisor keep the array path.
        boolean intoView = viewStores && d.isDirect() && (!div || op == ReduceOp.SUM || op == ReduceOp.AVG);
        for (int done = 0; done < n; done += Workspace.DOUBLES) {
            int len = Math.min(Workspace.DOUBLES, n - done);
            a.get(ai + done, x, 0, len);
            b.get(bi + done, y, 0, len);
            if (intoView) {
                storeCombined(op, d, di + done, x, y, len, div, f);
                continue;
            }
            switch (op) {
                case SUM:
                case AVG:
                    if (div) {
                        sumDiv(x, y, len, f);
                        d.put(di + done, x, 0, len);
                        continue;
                    }
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
            if (div) {
                div(x, len, f);
            }
            d.put(di + done, x, 0, len);
        }
    }

    /** The view-store path ({@link ViewStores}): {@code d[o + i] = x[i] ⊕ y[i]}, divided when {@code div}. */
    private static void storeCombined(ReduceOp op, DoubleBuffer d, int o, double[] x, double[] y, int len, boolean div, double f) {
        switch (op) {
            case SUM:
            case AVG:
                if (div) {
                    sumDivInto(d, o, x, y, len, f);
                } else {
                    sumInto(d, o, x, y, len);
                }
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

    private static void sumInto(DoubleBuffer d, int o, double[] x, double[] y, int len) {
        for (int i = 0; i < len; i++) {
            d.put(o + i, x[i] + y[i]);
        }
    }

    private static void sumDivInto(DoubleBuffer d, int o, double[] x, double[] y, int len, double f) {
        for (int i = 0; i < len; i++) {
            d.put(o + i, (x[i] + y[i]) / f);
        }
    }

    private static void prodInto(DoubleBuffer d, int o, double[] x, double[] y, int len) {
        for (int i = 0; i < len; i++) {
            d.put(o + i, x[i] * y[i]);
        }
    }

    private static void minInto(DoubleBuffer d, int o, double[] x, double[] y, int len) {
        for (int i = 0; i < len; i++) {
            d.put(o + i, Math.min(x[i], y[i]));
        }
    }

    private static void maxInto(DoubleBuffer d, int o, double[] x, double[] y, int len) {
        for (int i = 0; i < len; i++) {
            d.put(o + i, Math.max(x[i], y[i]));
        }
    }

    static void divide64(Workspace w, DoubleBuffer d, int di, int n, int divisor) {
        double[] x = w.doublesX();
        double f = divisor;
        for (int done = 0; done < n; done += Workspace.DOUBLES) {
            int len = Math.min(Workspace.DOUBLES, n - done);
            d.get(di + done, x, 0, len);
            div(x, len, f);
            d.put(di + done, x, 0, len);
        }
    }

    private static void sum(double[] x, double[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] += y[i];
        }
    }

    private static void sumDiv(double[] x, double[] y, int len, double f) {
        for (int i = 0; i < len; i++) {
            x[i] = (x[i] + y[i]) / f;
        }
    }

    private static void prod(double[] x, double[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] *= y[i];
        }
    }

    private static void min(double[] x, double[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = Math.min(x[i], y[i]);
        }
    }

    private static void max(double[] x, double[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = Math.max(x[i], y[i]);
        }
    }

    private static void div(double[] x, int len, double f) {
        for (int i = 0; i < len; i++) {
            x[i] /= f;
        }
    }
}
