package io.jccl.reduce;

import io.jccl.ReduceOp;

import java.nio.IntBuffer;
import java.nio.LongBuffer;

/**
 * int32 and int64 loops over typed views: wrapping SUM/PROD, signed MIN/MAX. Bitwise ops are done on
 * raw bytes by {@link ByteKernels#bitwise}; a divisor is a second pass (integer division does not
 * vectorize anyway). Each loop is its own small method so C2 inlines the buffer accessors.
 */
final class IntKernels {
    private IntKernels() {
    }

    static void int32(ReduceOp op, IntBuffer d, int di, IntBuffer a, int ai, IntBuffer b, int bi, int n, int divisor) {
        switch (op) {
            case SUM:
            case AVG:
                int32Sum(d, di, a, ai, b, bi, n);
                break;
            case PROD:
                int32Prod(d, di, a, ai, b, bi, n);
                break;
            case MIN:
                int32Min(d, di, a, ai, b, bi, n);
                break;
            case MAX:
                int32Max(d, di, a, ai, b, bi, n);
                break;
            default:
                throw new AssertionError(op);
        }
        if (divisor > 1) {
            divide32(d, di, n, divisor);
        }
    }

    private static void int32Sum(IntBuffer d, int di, IntBuffer a, int ai, IntBuffer b, int bi, int n) {
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

    private static void int32Prod(IntBuffer d, int di, IntBuffer a, int ai, IntBuffer b, int bi, int n) {
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

    private static void int32Min(IntBuffer d, int di, IntBuffer a, int ai, IntBuffer b, int bi, int n) {
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

    private static void int32Max(IntBuffer d, int di, IntBuffer a, int ai, IntBuffer b, int bi, int n) {
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

    static void divide32(IntBuffer d, int di, int n, int divisor) {
        int f = divisor;
        for (int i = 0; i < n; i++) {
            d.put(di + i, d.get(di + i) / f);
        }
    }

    static void int64(ReduceOp op, LongBuffer d, int di, LongBuffer a, int ai, LongBuffer b, int bi, int n, int divisor) {
        switch (op) {
            case SUM:
            case AVG:
                int64Sum(d, di, a, ai, b, bi, n);
                break;
            case PROD:
                int64Prod(d, di, a, ai, b, bi, n);
                break;
            case MIN:
                int64Min(d, di, a, ai, b, bi, n);
                break;
            case MAX:
                int64Max(d, di, a, ai, b, bi, n);
                break;
            default:
                throw new AssertionError(op);
        }
        if (divisor > 1) {
            divide64(d, di, n, divisor);
        }
    }

    private static void int64Sum(LongBuffer d, int di, LongBuffer a, int ai, LongBuffer b, int bi, int n) {
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

    private static void int64Prod(LongBuffer d, int di, LongBuffer a, int ai, LongBuffer b, int bi, int n) {
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

    private static void int64Min(LongBuffer d, int di, LongBuffer a, int ai, LongBuffer b, int bi, int n) {
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

    private static void int64Max(LongBuffer d, int di, LongBuffer a, int ai, LongBuffer b, int bi, int n) {
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

    static void divide64(LongBuffer d, int di, int n, int divisor) {
        long f = divisor;
        for (int i = 0; i < n; i++) {
            d.put(di + i, d.get(di + i) / f);
        }
    }
}
