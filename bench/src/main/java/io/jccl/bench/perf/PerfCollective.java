package io.jccl.bench.perf;

import io.jccl.Collectives;
import io.jccl.DataType;
import io.jccl.ReduceOp;
import io.jccl.schedule.CollectiveKind;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * The collectives the perf tool measures, with nccl-tests' size conventions and bus-bandwidth
 * factors. A size is the total message: the buffer of allreduce, broadcast and reduce, and the
 * full output of allgather (input of reducescatter), so each rank contributes {@code size/n}.
 */
public enum PerfCollective {
    ALLREDUCE("allreduce", CollectiveKind.ALL_REDUCE, true, false, false),
    ALLGATHER("allgather", CollectiveKind.ALL_GATHER, false, false, true),
    REDUCESCATTER("reducescatter", CollectiveKind.REDUCE_SCATTER, true, false, true),
    BROADCAST("broadcast", CollectiveKind.BROADCAST, false, true, false),
    REDUCE("reduce", CollectiveKind.REDUCE, true, true, false);

    private final String cliName;
    private final CollectiveKind kind;
    private final boolean reduces;
    private final boolean rooted;
    private final boolean splitsAcrossRanks;

    PerfCollective(String cliName, CollectiveKind kind, boolean reduces, boolean rooted, boolean splitsAcrossRanks) {
        this.cliName = cliName;
        this.kind = kind;
        this.reduces = reduces;
        this.rooted = rooted;
        this.splitsAcrossRanks = splitsAcrossRanks;
    }

    /** The name on the command line and in reports ({@code allreduce}). */
    public String cliName() {
        return cliName;
    }

    /** The engine's name for it, e.g. to ask which algorithm would run. */
    public CollectiveKind kind() {
        return kind;
    }

    /** Whether the reduce op ({@code -o}) matters; the redop column says {@code none} otherwise. */
    public boolean reduces() {
        return reduces;
    }

    /** Whether the root ({@code -r}) matters; the root column says {@code -1} otherwise. */
    public boolean rooted() {
        return rooted;
    }

    /**
     * Parses {@code allreduce}, and nccl-tests spellings such as {@code all_reduce} or
     * {@code all_reduce_perf}.
     */
    public static PerfCollective parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
        if (t.endsWith("perf")) {
            t = t.substring(0, t.length() - "perf".length());
        }
        for (PerfCollective c : values()) {
            if (c.cliName.equals(t)) {
                return c;
            }
        }
        throw new IllegalArgumentException("Unknown collective '" + text + "'; use one of " + names());
    }

    /** The valid names, comma-separated. */
    public static String names() {
        StringBuilder b = new StringBuilder();
        for (PerfCollective c : values()) {
            b.append(b.length() == 0 ? "" : ", ").append(c.cliName);
        }
        return b.toString();
    }

    /**
     * Bus bandwidth per unit of algorithm bandwidth with {@code ranks} ranks, as nccl-tests defines
     * it: {@code 2(n-1)/n} for allreduce, {@code (n-1)/n} for allgather and reducescatter, 1 for
     * broadcast and reduce. It makes the numbers comparable with the link speed.
     */
    public double busBandwidthFactor(int ranks) {
        if (ranks < 1) {
            throw new IllegalArgumentException("ranks must be at least 1, got " + ranks);
        }
        switch (this) {
            case ALLREDUCE:
                return 2.0 * (ranks - 1) / ranks;
            case ALLGATHER:
            case REDUCESCATTER:
                return (double) (ranks - 1) / ranks;
            default:
                return 1.0;
        }
    }

    /**
     * The element counts of one call for a requested size, rounded down to whole elements (and to a
     * multiple of {@code ranks} for allgather and reducescatter).
     */
    public MessageShape shape(long requestedBytes, DataType type, int ranks) {
        if (requestedBytes < 0 || ranks < 1) {
            throw new IllegalArgumentException("need bytes >= 0 and ranks >= 1, got " + requestedBytes + ", " + ranks);
        }
        long totalElements = requestedBytes / type.sizeBytes();
        if (splitsAcrossRanks) {
            long perRank = totalElements / ranks;
            long all = perRank * ranks;
            return this == ALLGATHER
                    ? new MessageShape(all * type.sizeBytes(), perRank, perRank, all, all)
                    : new MessageShape(all * type.sizeBytes(), perRank, all, perRank, all);
        }
        return new MessageShape(totalElements * type.sizeBytes(), totalElements, totalElements, totalElements,
                totalElements);
    }

    /**
     * Makes one blocking call. Out of place reads {@code in} and writes {@code out}; in place uses
     * {@code inPlace} only, laid out as the API describes (allgather: this rank's block at
     * {@code rank*count}; reducescatter: the whole input, result in block {@code rank}).
     */
    void call(Collectives c, MessageShape shape, DataType type, ReduceOp op, int root, boolean inPlaceCall,
              ByteBuffer in, ByteBuffer out, ByteBuffer inPlace) {
        long count = shape.countElements();
        switch (this) {
            case ALLREDUCE:
                if (inPlaceCall) {
                    c.allReduce(inPlace, count, type, op);
                } else {
                    c.allReduce(in, out, count, type, op);
                }
                break;
            case ALLGATHER:
                if (inPlaceCall) {
                    c.allGather(inPlace, count, type);
                } else {
                    c.allGather(in, out, count, type);
                }
                break;
            case REDUCESCATTER:
                if (inPlaceCall) {
                    c.reduceScatter(inPlace, count, type, op);
                } else {
                    c.reduceScatter(in, out, count, type, op);
                }
                break;
            case BROADCAST:
                if (inPlaceCall) {
                    c.broadcast(inPlace, count, type, root);
                } else {
                    c.broadcast(in, out, count, type, root);
                }
                break;
            case REDUCE:
                if (inPlaceCall) {
                    c.reduce(inPlace, count, type, op, root);
                } else {
                    c.reduce(in, out, count, type, op, root);
                }
                break;
            default:
                throw new AssertionError(this);
        }
    }
}
