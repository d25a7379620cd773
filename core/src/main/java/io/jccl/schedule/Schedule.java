package io.jccl.schedule;

import org.agrona.collections.Long2LongHashMap;

/**
 * The steps one rank executes for one collective, grouped in lanes. Steps of a lane run in order
 * (the engine may overlap steps whose memory does not conflict); lanes run independently.
 * Immutable and stored as parallel arrays so a cached plan costs nothing per call.
 *
 * <p>Message matching: the k-th send to peer p on lane l is matched with the k-th receive from
 * this rank posted by p on lane l; {@link #sendIndex(int)} and {@link #recvIndex(int)} give k.
 */
public final class Schedule {
    /** The step's reduction completes an element: apply the post-op (AVG's division). */
    public static final int FLAG_FINAL = 1;

    private final int rank;
    private final int lanes;
    private final int[] laneStart;
    private final byte[] kind;
    private final int[] recvPeer;
    private final int[] sendPeer;
    private final byte[] srcRole;
    private final long[] srcOffset;
    private final byte[] dstRole;
    private final long[] dstOffset;
    private final long[] count;
    private final byte[] flags;
    private final int[] recvIndex;
    private final int[] sendIndex;
    private final long scratchElements;
    private final Long2LongHashMap recvLookup;

    Schedule(int rank, int lanes, int[] laneStart, byte[] kind, int[] recvPeer, int[] sendPeer,
             byte[] srcRole, long[] srcOffset, byte[] dstRole, long[] dstOffset, long[] count, byte[] flags,
             int[] recvIndex, int[] sendIndex, long scratchElements) {
        this.rank = rank;
        this.lanes = lanes;
        this.laneStart = laneStart;
        this.kind = kind;
        this.recvPeer = recvPeer;
        this.sendPeer = sendPeer;
        this.srcRole = srcRole;
        this.srcOffset = srcOffset;
        this.dstRole = dstRole;
        this.dstOffset = dstOffset;
        this.count = count;
        this.flags = flags;
        this.recvIndex = recvIndex;
        this.sendIndex = sendIndex;
        this.scratchElements = scratchElements;
        this.recvLookup = new Long2LongHashMap(Math.max(8, kind.length * 2), 0.65f, -1L);
        for (int lane = 0; lane < lanes; lane++) {
            for (int s = laneStart[lane]; s < laneStart[lane + 1]; s++) {
                if (StepKind.of(kind[s]).receives()) {
                    recvLookup.put(recvKey(recvPeer[s], lane, recvIndex[s]), s);
                }
            }
        }
    }

    private static long recvKey(int peer, int lane, int index) {
        return ((long) peer << 40) | ((long) lane << 32) | (index & 0xFFFFFFFFL);
    }

    /** The rank this schedule was planned for. */
    public int rank() {
        return rank;
    }

    public int lanes() {
        return lanes;
    }

    /** Index of the first step of {@code lane}. */
    public int laneStart(int lane) {
        return laneStart[lane];
    }

    /** One past the last step of {@code lane}. */
    public int laneEnd(int lane) {
        return laneStart[lane + 1];
    }

    public int stepCount() {
        return kind.length;
    }

    /** The lane step {@code step} belongs to. */
    public int laneOf(int step) {
        for (int l = 0; l < lanes; l++) {
            if (step < laneStart[l + 1]) {
                return l;
            }
        }
        throw new IndexOutOfBoundsException(step);
    }

    public StepKind kind(int step) {
        return StepKind.of(kind[step]);
    }

    /** Peer this step receives from, -1 when it does not receive. */
    public int recvPeer(int step) {
        return recvPeer[step];
    }

    /** Peer this step sends to, -1 when it does not send. */
    public int sendPeer(int step) {
        return sendPeer[step];
    }

    public Role srcRole(int step) {
        return Role.of(srcRole[step]);
    }

    public long srcOffset(int step) {
        return srcOffset[step];
    }

    public Role dstRole(int step) {
        return Role.of(dstRole[step]);
    }

    public long dstOffset(int step) {
        return dstOffset[step];
    }

    /** Elements the step moves or reduces. */
    public long count(int step) {
        return count[step];
    }

    public int flags(int step) {
        return flags[step];
    }

    public boolean isFinal(int step) {
        return (flags[step] & FLAG_FINAL) != 0;
    }

    /** k for the k-th receive from {@link #recvPeer(int)} on this step's lane; -1 when not receiving. */
    public int recvIndex(int step) {
        return recvIndex[step];
    }

    /** k for the k-th send to {@link #sendPeer(int)} on this step's lane; -1 when not sending. */
    public int sendIndex(int step) {
        return sendIndex[step];
    }

    /** Elements of engine-owned scratch memory the schedule uses. */
    public long scratchElements() {
        return scratchElements;
    }

    /** The receiving step matching the {@code index}-th message from {@code peer} on {@code lane}, or -1. */
    public int findRecvStep(int peer, int lane, int index) {
        return (int) recvLookup.get(recvKey(peer, lane, index));
    }

    /** One line per step, for tests and debugging. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("schedule rank ").append(rank).append(", ").append(lanes).append(" lane(s), scratch ")
                .append(scratchElements).append('\n');
        for (int l = 0; l < lanes; l++) {
            for (int s = laneStart[l]; s < laneStart[l + 1]; s++) {
                sb.append("  lane ").append(l).append(" #").append(s).append(' ').append(kind(s));
                if (recvPeer[s] >= 0) {
                    sb.append(" from ").append(recvPeer[s]).append('[').append(recvIndex[s]).append(']');
                }
                if (sendPeer[s] >= 0) {
                    sb.append(" to ").append(sendPeer[s]).append('[').append(sendIndex[s]).append(']');
                }
                if (kind(s).readsSrc()) {
                    sb.append(" src ").append(srcRole(s)).append('@').append(srcOffset[s]);
                }
                if (kind(s).writesDst()) {
                    sb.append(" dst ").append(dstRole(s)).append('@').append(dstOffset[s]);
                }
                sb.append(" n=").append(count[s]);
                if (isFinal(s)) {
                    sb.append(" final");
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Schedule[rank=" + rank + ", lanes=" + lanes + ", steps=" + kind.length + "]";
    }
}
