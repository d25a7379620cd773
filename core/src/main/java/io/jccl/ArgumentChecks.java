package io.jccl;

import io.jccl.schedule.CollectiveKind;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Validates a call before anything is planned or sent; every message names the problem and the fix. */
final class ArgumentChecks {
    private ArgumentChecks() {
    }

    static void check(CollectiveKind kind, ByteBuffer in, ByteBuffer out, long count, DataType type, ReduceOp op,
                      int root, boolean inPlace, int rank, int worldSize) {
        String call = kind.key();
        if (type == null) {
            throw new IllegalArgumentException(call + ": type must not be null");
        }
        if (count < 0) {
            throw new IllegalArgumentException(call + ": count must be >= 0, got " + count);
        }
        boolean reduces = kind == CollectiveKind.ALL_REDUCE || kind == CollectiveKind.REDUCE_SCATTER
                || kind == CollectiveKind.REDUCE;
        if (reduces) {
            if (op == null) {
                throw new IllegalArgumentException(call + ": op must not be null");
            }
            if (!op.supports(type)) {
                throw new IllegalArgumentException(call + ": " + op + " is not defined for " + type.shortName()
                        + "; bitwise ops need an integer type (int8, uint8, int32, int64)");
            }
        }
        if (kind == CollectiveKind.BROADCAST || kind == CollectiveKind.REDUCE) {
            if (root < 0 || root >= worldSize) {
                throw new IllegalArgumentException(call + ": root " + root + " is out of range; ranks are 0.."
                        + (worldSize - 1));
            }
        }
        if (kind == CollectiveKind.SEND || kind == CollectiveKind.RECV) {
            if (root < 0 || root >= worldSize || root == rank) {
                throw new IllegalArgumentException(call + ": peer " + root + " is invalid for rank " + rank
                        + "; use another rank in 0.." + (worldSize - 1));
            }
        }
        long elementBytes = type.sizeBytes();
        long blockBytes = Math.multiplyExact(count, elementBytes);
        long fullBytes = Math.multiplyExact(blockBytes, worldSize);
        switch (kind) {
            case ALL_REDUCE:
                buffer(call, "in", in, blockBytes, false, reduces);
                buffer(call, "out", out, blockBytes, true, reduces);
                break;
            case ALL_GATHER:
                if (inPlace) {
                    buffer(call, "buffer", out, fullBytes, true, false);
                } else {
                    buffer(call, "in", in, blockBytes, false, false);
                    buffer(call, "out", out, fullBytes, true, false);
                }
                break;
            case REDUCE_SCATTER:
                if (inPlace) {
                    buffer(call, "buffer", in, fullBytes, true, true);
                } else {
                    buffer(call, "in", in, fullBytes, false, true);
                    buffer(call, "out", out, blockBytes, true, true);
                }
                break;
            case BROADCAST:
                if (rank == root) {
                    buffer(call, "in", in, blockBytes, false, false);
                }
                buffer(call, "out", out, blockBytes, true, false);
                break;
            case REDUCE:
                buffer(call, "in", in, blockBytes, false, true);
                if (rank == root) {
                    buffer(call, "out", out, blockBytes, true, true);
                } else if (out != null) {
                    buffer(call, "out", out, 0, false, false);
                }
                break;
            case SEND:
                buffer(call, "buffer", in, blockBytes, false, false);
                break;
            case RECV:
                buffer(call, "buffer", out, blockBytes, true, false);
                break;
            default:
                break;
        }
    }

    private static void buffer(String call, String name, ByteBuffer b, long bytes, boolean written, boolean reduces) {
        if (b == null) {
            throw new IllegalArgumentException(call + ": " + name + " must not be null");
        }
        if (!b.isDirect()) {
            throw new IllegalArgumentException(call + ": " + name + " is a heap ByteBuffer; JCCL moves data straight"
                    + " from off-heap memory. Allocate it with comm.allocate(bytes) or"
                    + " ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder())");
        }
        if (written && b.isReadOnly()) {
            throw new IllegalArgumentException(call + ": " + name + " is read-only but receives results;"
                    + " pass a writable buffer");
        }
        if (reduces && b.order() != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException(call + ": " + name + " has byte order " + b.order()
                    + " but reductions read elements in native order (" + ByteOrder.nativeOrder()
                    + "); call " + name + ".order(ByteOrder.nativeOrder()) before writing the data, or use comm.allocate(bytes)");
        }
        if (bytes > b.remaining()) {
            throw new IllegalArgumentException(call + ": " + name + " holds " + b.remaining() + " bytes from position "
                    + b.position() + " to limit " + b.limit() + " but the call needs " + bytes + " bytes;"
                    + " pass a larger buffer or a smaller count (did you forget flip() or clear()?)");
        }
        if (b.position() + bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(call + ": " + name + " region exceeds 2 GiB");
        }
    }
}
