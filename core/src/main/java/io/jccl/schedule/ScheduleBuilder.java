package io.jccl.schedule;

import java.util.Arrays;

/**
 * Builds a {@link Schedule}: algorithms append steps per lane, {@link #build()} numbers the
 * messages. Not thread-safe; one builder per plan.
 */
public final class ScheduleBuilder {
    private final int rank;
    private final int lanes;
    private final Lane[] perLane;
    private long scratchElements;

    public ScheduleBuilder(int rank, int lanes) {
        if (lanes < 1) {
            throw new IllegalArgumentException("lanes must be >= 1, got " + lanes);
        }
        this.rank = rank;
        this.lanes = lanes;
        this.perLane = new Lane[lanes];
        for (int i = 0; i < lanes; i++) {
            perLane[i] = new Lane();
        }
    }

    public int rank() {
        return rank;
    }

    /** Declares that the schedule needs at least {@code elements} of scratch memory. */
    public ScheduleBuilder scratch(long elements) {
        scratchElements = Math.max(scratchElements, elements);
        return this;
    }

    public ScheduleBuilder send(int lane, int peer, Role srcRole, long srcOffset, long count) {
        return add(lane, StepKind.SEND, -1, peer, srcRole, srcOffset, Role.OUTPUT, 0, count, 0);
    }

    public ScheduleBuilder recv(int lane, int peer, Role dstRole, long dstOffset, long count) {
        return add(lane, StepKind.RECV, peer, -1, Role.OUTPUT, 0, dstRole, dstOffset, count, 0);
    }

    public ScheduleBuilder recvReduce(int lane, int peer, Role srcRole, long srcOffset, Role dstRole, long dstOffset,
                                      long count, int flags) {
        return add(lane, StepKind.RECV_REDUCE, peer, -1, srcRole, srcOffset, dstRole, dstOffset, count, flags);
    }

    public ScheduleBuilder recvReduceSend(int lane, int recvPeer, int sendPeer, Role srcRole, long srcOffset,
                                          Role dstRole, long dstOffset, long count, int flags) {
        return add(lane, StepKind.RECV_REDUCE_SEND, recvPeer, sendPeer, srcRole, srcOffset, dstRole, dstOffset,
                count, flags);
    }

    public ScheduleBuilder recvCopySend(int lane, int recvPeer, int sendPeer, Role dstRole, long dstOffset,
                                        long count) {
        return add(lane, StepKind.RECV_COPY_SEND, recvPeer, sendPeer, Role.OUTPUT, 0, dstRole, dstOffset, count, 0);
    }

    public ScheduleBuilder copy(int lane, Role srcRole, long srcOffset, Role dstRole, long dstOffset, long count) {
        return add(lane, StepKind.COPY, -1, -1, srcRole, srcOffset, dstRole, dstOffset, count, 0);
    }

    public ScheduleBuilder reduceLocal(int lane, Role srcRole, long srcOffset, Role dstRole, long dstOffset,
                                       long count, int flags) {
        return add(lane, StepKind.REDUCE_LOCAL, -1, -1, srcRole, srcOffset, dstRole, dstOffset, count, flags);
    }

    /** Appends a step to {@code lane}; the typed helpers above are easier to read. */
    public ScheduleBuilder add(int lane, StepKind kind, int recvPeer, int sendPeer, Role srcRole, long srcOffset,
                               Role dstRole, long dstOffset, long count, int flags) {
        if (lane < 0 || lane >= lanes) {
            throw new IllegalArgumentException("lane " + lane + " out of range [0," + lanes + ")");
        }
        if (count < 0 || srcOffset < 0 || dstOffset < 0) {
            throw new IllegalArgumentException("negative count or offset in " + kind + ": count=" + count
                    + " src@" + srcOffset + " dst@" + dstOffset);
        }
        if (kind.receives() && recvPeer < 0 || kind.sends() && sendPeer < 0) {
            throw new IllegalArgumentException(kind + " needs a peer");
        }
        if (kind.writesDst() && dstRole == Role.INPUT) {
            throw new IllegalArgumentException(kind + " must not write INPUT");
        }
        perLane[lane].add(kind, recvPeer, sendPeer, srcRole, srcOffset, dstRole, dstOffset, count, flags);
        return this;
    }

    public Schedule build() {
        int total = 0;
        int[] laneStart = new int[lanes + 1];
        for (int l = 0; l < lanes; l++) {
            laneStart[l] = total;
            total += perLane[l].size;
        }
        laneStart[lanes] = total;
        byte[] kind = new byte[total];
        int[] recvPeer = new int[total];
        int[] sendPeer = new int[total];
        byte[] srcRole = new byte[total];
        long[] srcOffset = new long[total];
        byte[] dstRole = new byte[total];
        long[] dstOffset = new long[total];
        long[] count = new long[total];
        byte[] flags = new byte[total];
        int[] recvIndex = new int[total];
        int[] sendIndex = new int[total];
        for (int l = 0; l < lanes; l++) {
            Lane lane = perLane[l];
            int base = laneStart[l];
            System.arraycopy(lane.kind, 0, kind, base, lane.size);
            System.arraycopy(lane.recvPeer, 0, recvPeer, base, lane.size);
            System.arraycopy(lane.sendPeer, 0, sendPeer, base, lane.size);
            System.arraycopy(lane.srcRole, 0, srcRole, base, lane.size);
            System.arraycopy(lane.srcOffset, 0, srcOffset, base, lane.size);
            System.arraycopy(lane.dstRole, 0, dstRole, base, lane.size);
            System.arraycopy(lane.dstOffset, 0, dstOffset, base, lane.size);
            System.arraycopy(lane.count, 0, count, base, lane.size);
            System.arraycopy(lane.flags, 0, flags, base, lane.size);
            java.util.HashMap<Integer, Integer> sends = new java.util.HashMap<>();
            java.util.HashMap<Integer, Integer> recvs = new java.util.HashMap<>();
            for (int s = base; s < base + lane.size; s++) {
                StepKind k = StepKind.of(kind[s]);
                recvIndex[s] = k.receives() ? recvs.merge(recvPeer[s], 1, Integer::sum) - 1 : -1;
                sendIndex[s] = k.sends() ? sends.merge(sendPeer[s], 1, Integer::sum) - 1 : -1;
            }
        }
        return new Schedule(rank, lanes, laneStart, kind, recvPeer, sendPeer, srcRole, srcOffset, dstRole,
                dstOffset, count, flags, recvIndex, sendIndex, scratchElements);
    }

    private static final class Lane {
        int size;
        byte[] kind = new byte[16];
        int[] recvPeer = new int[16];
        int[] sendPeer = new int[16];
        byte[] srcRole = new byte[16];
        long[] srcOffset = new long[16];
        byte[] dstRole = new byte[16];
        long[] dstOffset = new long[16];
        long[] count = new long[16];
        byte[] flags = new byte[16];

        void add(StepKind k, int rp, int sp, Role sr, long so, Role dr, long dof, long c, int f) {
            if (size == kind.length) {
                int n = size * 2;
                kind = Arrays.copyOf(kind, n);
                recvPeer = Arrays.copyOf(recvPeer, n);
                sendPeer = Arrays.copyOf(sendPeer, n);
                srcRole = Arrays.copyOf(srcRole, n);
                srcOffset = Arrays.copyOf(srcOffset, n);
                dstRole = Arrays.copyOf(dstRole, n);
                dstOffset = Arrays.copyOf(dstOffset, n);
                count = Arrays.copyOf(count, n);
                flags = Arrays.copyOf(flags, n);
            }
            kind[size] = (byte) k.ordinal();
            recvPeer[size] = k.receives() ? rp : -1;
            sendPeer[size] = k.sends() ? sp : -1;
            srcRole[size] = (byte) sr.ordinal();
            srcOffset[size] = so;
            dstRole[size] = (byte) dr.ordinal();
            dstOffset[size] = dof;
            count[size] = c;
            flags[size] = (byte) f;
            size++;
        }
    }
}
