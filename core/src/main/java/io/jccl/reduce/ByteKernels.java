package io.jccl.reduce;

import io.jccl.ReduceOp;

import java.nio.ByteBuffer;
import java.nio.LongBuffer;

/**
 * int8/uint8 loops, and the bitwise ops for every integer type (they only see bytes). Wrapping SUM and
 * PROD are the same bit operation for signed and unsigned bytes; SUM and the bitwise ops run eight
 * bytes at a time in a {@code long} (SWAR), which beats byte-wise access to a direct buffer.
 * Offsets here are absolute byte offsets.
 */
final class ByteKernels {
    private static final long LOW7 = 0x7f7f_7f7f_7f7f_7f7fL;
    private static final long HIGH1 = 0x8080_8080_8080_8080L;

    private ByteKernels() {
    }

    static void int8(boolean unsigned, ReduceOp op, ViewCache cache, ByteBuffer d, int dOff, ByteBuffer a, int aOff,
                     ByteBuffer b, int bOff, int n, int divisor) {
        switch (op) {
            case SUM:
            case AVG:
                sum(cache, d, dOff, a, aOff, b, bOff, n);
                break;
            case PROD:
                if (d.hasArray() && a.hasArray() && b.hasArray()) {
                    byte[] da = d.array();
                    byte[] aa = a.array();
                    byte[] ba = b.array();
                    int di = d.arrayOffset() + dOff;
                    int ai = a.arrayOffset() + aOff;
                    int bi = b.arrayOffset() + bOff;
                    for (int i = 0; i < n; i++) {
                        da[di + i] = (byte) (aa[ai + i] * ba[bi + i]);
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        d.put(dOff + i, (byte) (a.get(aOff + i) * b.get(bOff + i)));
                    }
                }
                break;
            case MIN:
            case MAX:
                minMax(unsigned, op == ReduceOp.MAX, d, dOff, a, aOff, b, bOff, n);
                break;
            default:
                throw new AssertionError(op);
        }
        if (divisor > 1) {
            divide(unsigned, d, dOff, n, divisor);
        }
    }

    /** Lane-wise byte addition: add the low 7 bits without carries across lanes, then fix the top bit. */
    private static void sum(ViewCache cache, ByteBuffer d, int dOff, ByteBuffer a, int aOff, ByteBuffer b, int bOff,
                            int n) {
        int words = n >>> 3;
        if (words > 0) {
            LongBuffer dl = (LongBuffer) cache.view(d, ViewCache.LONG, dOff, 8);
            LongBuffer al = (LongBuffer) cache.view(a, ViewCache.LONG, aOff, 8);
            LongBuffer bl = (LongBuffer) cache.view(b, ViewCache.LONG, bOff, 8);
            int di = dOff >>> 3;
            int ai = aOff >>> 3;
            int bi = bOff >>> 3;
            for (int i = 0; i < words; i++) {
                long x = al.get(ai + i);
                long y = bl.get(bi + i);
                dl.put(di + i, ((x & LOW7) + (y & LOW7)) ^ ((x ^ y) & HIGH1));
            }
        }
        for (int i = words << 3; i < n; i++) {
            d.put(dOff + i, (byte) (a.get(aOff + i) + b.get(bOff + i)));
        }
    }

    private static void minMax(boolean unsigned, boolean max, ByteBuffer d, int dOff, ByteBuffer a, int aOff,
                               ByteBuffer b, int bOff, int n) {
        if (d.hasArray() && a.hasArray() && b.hasArray()) {
            byte[] da = d.array();
            byte[] aa = a.array();
            byte[] ba = b.array();
            int di = d.arrayOffset() + dOff;
            int ai = a.arrayOffset() + aOff;
            int bi = b.arrayOffset() + bOff;
            if (unsigned && max) {
                for (int i = 0; i < n; i++) {
                    da[di + i] = (byte) Math.max(aa[ai + i] & 0xff, ba[bi + i] & 0xff);
                }
            } else if (unsigned) {
                for (int i = 0; i < n; i++) {
                    da[di + i] = (byte) Math.min(aa[ai + i] & 0xff, ba[bi + i] & 0xff);
                }
            } else if (max) {
                for (int i = 0; i < n; i++) {
                    da[di + i] = (byte) Math.max(aa[ai + i], ba[bi + i]);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    da[di + i] = (byte) Math.min(aa[ai + i], ba[bi + i]);
                }
            }
            return;
        }
        if (unsigned && max) {
            for (int i = 0; i < n; i++) {
                d.put(dOff + i, (byte) Math.max(a.get(aOff + i) & 0xff, b.get(bOff + i) & 0xff));
            }
        } else if (unsigned) {
            for (int i = 0; i < n; i++) {
                d.put(dOff + i, (byte) Math.min(a.get(aOff + i) & 0xff, b.get(bOff + i) & 0xff));
            }
        } else if (max) {
            for (int i = 0; i < n; i++) {
                d.put(dOff + i, (byte) Math.max(a.get(aOff + i), b.get(bOff + i)));
            }
        } else {
            for (int i = 0; i < n; i++) {
                d.put(dOff + i, (byte) Math.min(a.get(aOff + i), b.get(bOff + i)));
            }
        }
    }

    static void divide(boolean unsigned, ByteBuffer d, int dOff, int n, int divisor) {
        if (unsigned) {
            for (int i = 0; i < n; i++) {
                d.put(dOff + i, (byte) ((d.get(dOff + i) & 0xff) / divisor));
            }
        } else {
            for (int i = 0; i < n; i++) {
                d.put(dOff + i, (byte) (d.get(dOff + i) / divisor));
            }
        }
    }

    /** BAND/BOR/BXOR over {@code nBytes} raw bytes, eight at a time. */
    static void bitwise(ReduceOp op, ViewCache cache, ByteBuffer d, int dOff, ByteBuffer a, int aOff, ByteBuffer b,
                        int bOff, int nBytes) {
        int words = nBytes >>> 3;
        if (words > 0) {
            LongBuffer dl = (LongBuffer) cache.view(d, ViewCache.LONG, dOff, 8);
            LongBuffer al = (LongBuffer) cache.view(a, ViewCache.LONG, aOff, 8);
            LongBuffer bl = (LongBuffer) cache.view(b, ViewCache.LONG, bOff, 8);
            int di = dOff >>> 3;
            int ai = aOff >>> 3;
            int bi = bOff >>> 3;
            switch (op) {
                case BAND:
                    for (int i = 0; i < words; i++) {
                        dl.put(di + i, al.get(ai + i) & bl.get(bi + i));
                    }
                    break;
                case BOR:
                    for (int i = 0; i < words; i++) {
                        dl.put(di + i, al.get(ai + i) | bl.get(bi + i));
                    }
                    break;
                case BXOR:
                    for (int i = 0; i < words; i++) {
                        dl.put(di + i, al.get(ai + i) ^ bl.get(bi + i));
                    }
                    break;
                default:
                    throw new AssertionError(op);
            }
        }
        for (int i = words << 3; i < nBytes; i++) {
            int x = a.get(aOff + i);
            int y = b.get(bOff + i);
            int r = op == ReduceOp.BAND ? x & y : op == ReduceOp.BOR ? x | y : x ^ y;
            d.put(dOff + i, (byte) r);
        }
    }
}
