package io.jccl.schedule;

import io.jccl.DataType;
import io.jccl.ReduceOp;

/**
 * Everything a plan depends on. Equal specs give equal schedules, so a spec (with the algorithm
 * and the rank) is a cache key.
 *
 * @param kind          the collective
 * @param worldSize     number of ranks
 * @param countElements elements per rank as the API counts them (allgather/reducescatter: the
 *                      per-rank block)
 * @param dataType      element type
 * @param reduceOp      reduce op, or {@code null} for collectives that do not reduce
 * @param root          root rank for broadcast/reduce, -1 otherwise
 * @param inPlace       whether input and output are the same memory
 * @param sliceBytes    pipelining granularity: schedules split transfers into slices of at most
 *                      this many bytes (rounded to whole elements)
 * @param lanes         how many independent lanes (channels) an algorithm may use, at least 1
 */
public record CollectiveSpec(CollectiveKind kind, int worldSize, long countElements, DataType dataType,
                             ReduceOp reduceOp, int root, boolean inPlace, int sliceBytes, int lanes) {

    public CollectiveSpec {
        if (worldSize < 1) {
            throw new IllegalArgumentException("worldSize must be >= 1, got " + worldSize);
        }
        if (countElements < 0) {
            throw new IllegalArgumentException("countElements must be >= 0, got " + countElements);
        }
        if (sliceBytes < 1) {
            throw new IllegalArgumentException("sliceBytes must be >= 1, got " + sliceBytes);
        }
        if (lanes < 1) {
            throw new IllegalArgumentException("lanes must be >= 1, got " + lanes);
        }
    }

    /**
     * The spec of one call as a communicator plans it: the op is dropped for collectives that do
     * not reduce, and a message gets at most one lane per slice of data ({@code maxLanes} at most),
     * since extra lanes only add messages when there is nothing to pipeline.
     */
    public static CollectiveSpec forCall(CollectiveKind kind, int worldSize, long countElements, DataType dataType,
                                         ReduceOp reduceOp, int root, boolean inPlace, int sliceBytes,
                                         int maxLanes) {
        boolean reduces = kind == CollectiveKind.ALL_REDUCE || kind == CollectiveKind.REDUCE_SCATTER
                || kind == CollectiveKind.REDUCE;
        long perRankBytes = countElements * dataType.sizeBytes();
        long bytes = kind == CollectiveKind.ALL_GATHER || kind == CollectiveKind.REDUCE_SCATTER
                ? perRankBytes * worldSize : perRankBytes;
        long slices = (bytes + sliceBytes - 1) / sliceBytes;
        int lanes = (int) Math.max(1, Math.min(maxLanes, slices));
        return new CollectiveSpec(kind, worldSize, countElements, dataType, reduces ? reduceOp : null, root, inPlace,
                sliceBytes, lanes);
    }

    /** Elements in one slice: {@code sliceBytes} rounded down to whole elements, at least 1. */
    public long sliceElements() {
        return Math.max(1, sliceBytes / dataType.sizeBytes());
    }

    /** Message size in bytes a size-range rule is matched against (nccl-tests' "size" column). */
    public long messageBytes() {
        return messageBytes(kind, countElements, dataType.sizeBytes(), worldSize);
    }

    /**
     * Message size of a call: {@code countElements} elements of {@code elementBytes}, times the world
     * for allgather and reduce-scatter, whose count is per rank.
     */
    public static long messageBytes(CollectiveKind kind, long countElements, int elementBytes, int worldSize) {
        long perRank = countElements * elementBytes;
        return (kind == CollectiveKind.ALL_GATHER || kind == CollectiveKind.REDUCE_SCATTER)
                ? perRank * worldSize : perRank;
    }
}
