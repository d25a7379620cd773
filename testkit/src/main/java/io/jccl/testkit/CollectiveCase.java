package io.jccl.testkit;

import io.jccl.CallOptions;
import io.jccl.Collectives;
import io.jccl.Communicator;
import io.jccl.DataType;
import io.jccl.ReduceOp;
import io.jccl.schedule.CollectiveKind;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;

/**
 * One collective call on every rank of a {@link Cluster}, checked against {@link ReferenceData}:
 * each rank's output must equal the independently computed expectation bit for bit (so all ranks
 * are identical too), and the guard bytes around each output region must be untouched.
 *
 * @param kind      the collective
 * @param algorithm forced algorithm, or {@code null} for the communicator's choice
 * @param type      element type
 * @param op        reduce op (reducing collectives only)
 * @param count     elements (per rank block for allgather / reducescatter)
 * @param root      root for broadcast / reduce
 * @param inPlace   single-buffer form
 */
public record CollectiveCase(CollectiveKind kind, String algorithm, DataType type, ReduceOp op, long count, int root,
                             boolean inPlace) {
    private static final int GUARD = 16;
    private static final byte CANARY = 0x5A;

    @Override
    public String toString() {
        return kind.key() + " " + (algorithm == null ? "default" : algorithm) + " " + type.shortName()
                + (op == null ? "" : " " + op.shortName()) + " count=" + count + (root >= 0 ? " root=" + root : "")
                + (inPlace ? " in-place" : "");
    }

    /** Runs the case on all ranks and fails with a description of the first difference. */
    public void run(Cluster cluster, Duration timeout) {
        int n = cluster.worldSize();
        int es = type.sizeBytes();
        int block = Math.toIntExact(count * es);
        boolean perRankBlocks = kind == CollectiveKind.ALL_GATHER || kind == CollectiveKind.REDUCE_SCATTER;
        long expectedCount = kind == CollectiveKind.ALL_GATHER || kind == CollectiveKind.REDUCE_SCATTER
                ? count * n : count;
        ByteBuffer expected = ByteBuffer.allocateDirect(Math.toIntExact(expectedCount * es))
                .order(ByteOrder.nativeOrder());
        for (long i = 0; i < expectedCount; i++) {
            double v;
            switch (kind) {
                case ALL_REDUCE:
                case REDUCE:
                case REDUCE_SCATTER:
                    v = ReferenceData.reduce(type, op, n, i, 0);
                    break;
                case ALL_GATHER:
                    v = ReferenceData.value(type, (int) (i / Math.max(1, count)), i % Math.max(1, count));
                    break;
                case BROADCAST:
                    v = ReferenceData.value(type, root, i);
                    break;
                default:
                    v = 0;
            }
            ReferenceData.put(expected, (int) (i * es), type, v);
        }
        List<String> problems = cluster.run(timeout, comm -> runRank(comm, n, block, perRankBlocks, expected));
        for (int r = 0; r < problems.size(); r++) {
            if (problems.get(r) != null) {
                throw new AssertionError(this + " on " + n + " ranks: rank " + r + ": " + problems.get(r));
            }
        }
    }

    private String runRank(Communicator comm, int n, int block, boolean perRankBlocks, ByteBuffer expected) {
        int r = comm.rank();
        Collectives c = algorithm == null ? comm : comm.with(CallOptions.algorithm(algorithm));
        int full = block * n;
        switch (kind) {
            case ALL_REDUCE: {
                ByteBuffer out = guarded(block);
                if (inPlace) {
                    ReferenceData.fill(out, GUARD, type, r, 0, count);
                    c.allReduce(out, count, type, op);
                } else {
                    ByteBuffer in = input(r, 0, count);
                    c.allReduce(in, out, count, type, op);
                }
                return compare(out, block, expected, 0);
            }
            case ALL_GATHER: {
                ByteBuffer out = guarded(full);
                if (inPlace) {
                    ReferenceData.fill(out, GUARD + r * block, type, r, 0, count);
                    c.allGather(out, count, type);
                } else {
                    c.allGather(input(r, 0, count), out, count, type);
                }
                return compare(out, full, expected, 0);
            }
            case REDUCE_SCATTER: {
                if (inPlace) {
                    ByteBuffer buf = guarded(full);
                    fillBlocks(buf, r, n);
                    c.reduceScatter(buf, count, type, op);
                    String p = compareRegion(buf, GUARD + r * block, block, expected, r * block);
                    return p != null ? p : guards(buf, full);
                }
                ByteBuffer in = guarded(full);
                fillBlocks(in, r, n);
                ByteBuffer out = guarded(block);
                c.reduceScatter(in, out, count, type, op);
                return compare(out, block, expected, r * block);
            }
            case BROADCAST: {
                ByteBuffer out = guarded(block);
                if (inPlace) {
                    if (r == root) {
                        ReferenceData.fill(out, GUARD, type, r, 0, count);
                    }
                    c.broadcast(out, count, type, root);
                } else {
                    c.broadcast(r == root ? input(r, 0, count) : null, out, count, type, root);
                }
                return compare(out, block, expected, 0);
            }
            case REDUCE: {
                ByteBuffer out = guarded(block);
                if (inPlace) {
                    ReferenceData.fill(out, GUARD, type, r, 0, count);
                    ByteBuffer before = copy(out);
                    c.reduce(out, count, type, op, root);
                    return r == root ? compare(out, block, expected, 0)
                            : (out.equals(before) ? null : "non-root buffer was modified by an in-place reduce");
                }
                ByteBuffer in = input(r, 0, count);
                ByteBuffer inBefore = copy(in);
                c.reduce(in, r == root ? out : null, count, type, op, root);
                if (!in.equals(inBefore)) {
                    return "input buffer was modified";
                }
                return r == root ? compare(out, block, expected, 0) : null;
            }
            case BARRIER:
                c.barrier();
                return null;
            default:
                throw new AssertionError(kind);
        }
    }

    private void fillBlocks(ByteBuffer buf, int rank, int n) {
        for (int b = 0; b < n; b++) {
            ReferenceData.fill(buf, GUARD + (int) (b * count * type.sizeBytes()), type, rank, b * count, count);
        }
    }

    private ByteBuffer input(int rank, long first, long n) {
        ByteBuffer in = guarded(Math.toIntExact(n * type.sizeBytes()));
        ReferenceData.fill(in, GUARD, type, rank, first, n);
        return in;
    }

    /** A direct buffer with {@code bytes} of payload between canary-filled guards; position at the payload. */
    private static ByteBuffer guarded(int bytes) {
        ByteBuffer b = ByteBuffer.allocateDirect(bytes + 2 * GUARD).order(ByteOrder.nativeOrder());
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, CANARY);
        }
        b.position(GUARD).limit(GUARD + bytes);
        return b;
    }

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b.duplicate()).flip();
        return c;
    }

    private static String compare(ByteBuffer out, int bytes, ByteBuffer expected, int expectedOffset) {
        String p = compareRegion(out, GUARD, bytes, expected, expectedOffset);
        return p != null ? p : guards(out, bytes);
    }

    private static String compareRegion(ByteBuffer out, int at, int bytes, ByteBuffer expected, int expectedOffset) {
        ByteBuffer got = out.duplicate().clear().position(at).limit(at + bytes);
        ByteBuffer want = expected.duplicate().clear().position(expectedOffset).limit(expectedOffset + bytes);
        int m = got.mismatch(want);
        if (m < 0) {
            return null;
        }
        return "first wrong byte at output offset " + (at - GUARD + m) + " of " + bytes + ": got "
                + got.get(at + m) + ", expected " + want.get(expectedOffset + m);
    }

    private static String guards(ByteBuffer out, int bytes) {
        ByteBuffer all = out.duplicate().clear();
        for (int i = 0; i < GUARD; i++) {
            if (all.get(i) != CANARY || all.get(GUARD + bytes + i) != CANARY) {
                return "wrote outside the output region (guard byte " + i + " changed)";
            }
        }
        if (out.position() != GUARD || out.limit() != GUARD + bytes) {
            return "position/limit of the output buffer were changed";
        }
        return null;
    }
}
