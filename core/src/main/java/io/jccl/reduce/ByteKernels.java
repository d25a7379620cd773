package io.jccl.reduce;

import io.jccl.ReduceOp;

import java.nio.ByteBuffer;

/**
 * int8/uint8 kernels, and the bitwise ops for every integer type (they only see bytes), over
 * {@link Workspace} chunk arrays (see there for why). Wrapping SUM and PROD are the same bit operation
 * for signed and unsigned bytes; MIN/MAX/division differ. Buffers are whole-capacity byte views and
 * offsets are absolute byte offsets.
 */
final class ByteKernels {
    private ByteKernels() {
    }

    static void int8(boolean unsigned, ReduceOp op, Workspace w, ByteBuffer d, int dOff, ByteBuffer a, int aOff,
                     ByteBuffer b, int bOff, int n, int divisor) {
        byte[] x = w.bytesX();
        byte[] y = w.bytesY();
        for (int done = 0; done < n; done += x.length) {
            int len = Math.min(x.length, n - done);
            a.get(aOff + done, x, 0, len);
            b.get(bOff + done, y, 0, len);
            switch (op) {
                case SUM:
                case AVG:
                    sum(x, y, len);
                    break;
                case PROD:
                    prod(x, y, len);
                    break;
                case MIN:
                    if (unsigned) {
                        minUnsigned(x, y, len);
                    } else {
                        min(x, y, len);
                    }
                    break;
                case MAX:
                    if (unsigned) {
                        maxUnsigned(x, y, len);
                    } else {
                        max(x, y, len);
                    }
                    break;
                default:
                    throw new AssertionError(op);
            }
            if (divisor > 1) {
                div(unsigned, x, len, divisor);
            }
            d.put(dOff + done, x, 0, len);
        }
    }

    static void divide(boolean unsigned, Workspace w, ByteBuffer d, int dOff, int n, int divisor) {
        byte[] x = w.bytesX();
        for (int done = 0; done < n; done += x.length) {
            int len = Math.min(x.length, n - done);
            d.get(dOff + done, x, 0, len);
            div(unsigned, x, len, divisor);
            d.put(dOff + done, x, 0, len);
        }
    }

    /** BAND/BOR/BXOR over {@code nBytes} raw bytes. */
    static void bitwise(ReduceOp op, Workspace w, ByteBuffer d, int dOff, ByteBuffer a, int aOff, ByteBuffer b,
                        int bOff, int nBytes) {
        byte[] x = w.bytesX();
        byte[] y = w.bytesY();
        for (int done = 0; done < nBytes; done += x.length) {
            int len = Math.min(x.length, nBytes - done);
            a.get(aOff + done, x, 0, len);
            b.get(bOff + done, y, 0, len);
            switch (op) {
                case BAND:
                    and(x, y, len);
                    break;
                case BOR:
                    or(x, y, len);
                    break;
                case BXOR:
                    xor(x, y, len);
                    break;
                default:
                    throw new AssertionError(op);
            }
            d.put(dOff + done, x, 0, len);
        }
    }

    private static void sum(byte[] x, byte[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] += y[i];
        }
    }

    private static void prod(byte[] x, byte[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] *= y[i];
        }
    }

    private static void min(byte[] x, byte[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = (byte) Math.min(x[i], y[i]);
        }
    }

    private static void max(byte[] x, byte[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = (byte) Math.max(x[i], y[i]);
        }
    }

    private static void minUnsigned(byte[] x, byte[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = (byte) Math.min(x[i] & 0xff, y[i] & 0xff);
        }
    }

    private static void maxUnsigned(byte[] x, byte[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = (byte) Math.max(x[i] & 0xff, y[i] & 0xff);
        }
    }

    private static void div(boolean unsigned, byte[] x, int len, int divisor) {
        if (unsigned) {
            for (int i = 0; i < len; i++) {
                x[i] = (byte) ((x[i] & 0xff) / divisor);
            }
        } else {
            for (int i = 0; i < len; i++) {
                x[i] = (byte) (x[i] / divisor);
            }
        }
    }

    private static void and(byte[] x, byte[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] &= y[i];
        }
    }

    private static void or(byte[] x, byte[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] |= y[i];
        }
    }

    private static void xor(byte[] x, byte[] y, int len) {
        for (int i = 0; i < len; i++) {
            x[i] ^= y[i];
        }
    }
}
