package io.jccl.algorithms;

import io.jccl.schedule.Algorithm;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.CollectiveSpec;
import io.jccl.schedule.Role;
import io.jccl.schedule.Schedule;
import io.jccl.schedule.StepKind;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the schedules of all ranks of one spec together on symbolic values, the way the engine
 * would with the least overlap: each lane's steps strictly in order, sends never block (the data
 * is snapshot at send time), receives block until the matching message is there.
 *
 * <p>A value is an expression: a leaf {@code (rank, element)} or {@code a ⊕ b}. It is kept as a
 * canonical hash with {@code h(a⊕b) = mix(min(ha,hb), max(ha,hb))}, so two ranks agree on a hash
 * only if they built the same tree up to commutativity of each ⊕ (which is what bitwise-identical
 * floating-point results need), plus a contribution count and a sum of per-leaf random keys, which
 * prove "every rank's element exactly once". Any protocol violation fails with an
 * {@link AssertionError} naming the rank and step.
 */
final class SymbolicCluster {
    static final byte JUNK = 0;
    static final byte VALUE = 1;
    static final byte FINAL = 2;

    private final CollectiveSpec spec;
    private final int n;
    private final Schedule[] schedules;
    private final Memory[][] memory; // [rank][Role.ordinal()] real memory; aliases share an object
    private final long[][] base;     // [rank][Role.ordinal()] where the role starts in its real memory
    private final long[][] size;     // [rank][Role.ordinal()] logical size of the role
    private final boolean[] touchedOutput;
    private final boolean[] readInput;
    private final Map<Long, ArrayDeque<Message>> inFlight = new HashMap<>();
    private final boolean barrier;
    private final BitSet[] heard;
    private BitSet current;
    private int curRank;
    private int curLane;
    private int curStep;
    private long stepsExecuted;

    /** One memory buffer of symbolic elements. */
    static final class Memory {
        final long[] hash;
        final int[] count;
        final long[] keys;
        final byte[] state;
        final byte[] lane;
        final BitSet[] knowledge;

        Memory(long elements) {
            int size = Math.toIntExact(elements);
            hash = new long[size];
            count = new int[size];
            keys = new long[size];
            state = new byte[size];
            lane = new byte[size];
            java.util.Arrays.fill(lane, (byte) -1);
            knowledge = new BitSet[size];
        }
    }

    /** Elements in transit or in a step; {@code originStep} is the sending step, -1 for local data. */
    private record Message(int sendIndex, long[] hash, int[] count, long[] keys, byte[] state, int originStep,
                           BitSet knowledge) {
        Message(long[] hash, int[] count, long[] keys, byte[] state) {
            this(-1, hash, count, keys, state, -1, null);
        }
    }

    SymbolicCluster(Algorithm algorithm, CollectiveSpec spec) {
        this.spec = spec;
        this.n = spec.worldSize();
        this.schedules = new Schedule[n];
        this.memory = new Memory[n][3];
        this.base = new long[n][3];
        this.size = new long[n][3];
        this.touchedOutput = new boolean[n];
        this.readInput = new boolean[n];
        this.barrier = spec.kind() == CollectiveKind.BARRIER;
        this.heard = new BitSet[n];
        long c = spec.countElements();
        boolean gathers = spec.kind() == CollectiveKind.ALL_GATHER;
        boolean scatters = spec.kind() == CollectiveKind.REDUCE_SCATTER;
        long inputSize = scatters ? n * c : spec.kind() == CollectiveKind.BARRIER ? 0 : c;
        long outputSize = gathers ? n * c : spec.kind() == CollectiveKind.BARRIER ? 0 : c;
        for (int r = 0; r < n; r++) {
            Schedule s = algorithm.plan(spec, r);
            if (s.rank() != r || s.lanes() != spec.lanes()) {
                throw new AssertionError("rank " + r + ": schedule for rank " + s.rank() + " with " + s.lanes() + " lanes");
            }
            schedules[r] = s;
            heard[r] = new BitSet(n);
            heard[r].set(r);
            size[r][Role.INPUT.ordinal()] = inputSize;
            size[r][Role.OUTPUT.ordinal()] = outputSize;
            size[r][Role.SCRATCH.ordinal()] = s.scratchElements();
            Memory in = new Memory(inputSize);
            Memory out = new Memory(outputSize);
            memory[r][Role.SCRATCH.ordinal()] = new Memory(s.scratchElements());
            if (!spec.inPlace()) {
                memory[r][Role.INPUT.ordinal()] = in;
                memory[r][Role.OUTPUT.ordinal()] = out;
            } else if (scatters) {
                memory[r][Role.INPUT.ordinal()] = in;
                memory[r][Role.OUTPUT.ordinal()] = in;
                base[r][Role.OUTPUT.ordinal()] = r * c;
            } else {
                memory[r][Role.INPUT.ordinal()] = out;
                memory[r][Role.OUTPUT.ordinal()] = out;
                base[r][Role.INPUT.ordinal()] = gathers ? r * c : 0;
            }
            for (long e = 0; e < inputSize; e++) {
                Memory m = memory[r][Role.INPUT.ordinal()];
                int at = (int) (base[r][Role.INPUT.ordinal()] + e);
                m.hash[at] = leaf(r, e);
                m.count[at] = 1;
                m.keys[at] = leaf(r, e);
                m.state[at] = VALUE;
            }
        }
    }

    /** The hash (and key) of rank {@code rank}'s INPUT element {@code element}. */
    static long leaf(int rank, long element) {
        return mix(0x9E3779B97F4A7C15L * (rank + 1) ^ mix(element * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L));
    }

    static long combine(long a, long b) {
        return mix(Math.min(a, b) * 0x9E3779B97F4A7C15L + mix(Math.max(a, b) ^ 0x85EBCA77C2B2AE63L));
    }

    static long finalized(long h) {
        return mix(h ^ 0xF1A1F1A1F1A1F1A1L);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Runs all ranks to completion; fails on deadlock, mismatch or an illegal access. */
    SymbolicCluster run() {
        int lanes = spec.lanes();
        int[][] pc = new int[n][lanes];
        ArrayDeque<Integer> runnable = new ArrayDeque<>();
        boolean[] queued = new boolean[n * lanes];
        for (int r = 0; r < n; r++) {
            for (int l = 0; l < lanes; l++) {
                pc[r][l] = schedules[r].laneStart(l);
                runnable.add(r * lanes + l);
                queued[r * lanes + l] = true;
            }
        }
        while (!runnable.isEmpty()) {
            int id = runnable.poll();
            queued[id] = false;
            int r = id / lanes;
            int l = id % lanes;
            Schedule s = schedules[r];
            while (pc[r][l] < s.laneEnd(l)) {
                int woken = execute(r, l, pc[r][l]);
                if (woken == -2) {
                    break;
                }
                pc[r][l]++;
                stepsExecuted++;
                if (woken >= 0 && !queued[woken * lanes + l]) {
                    queued[woken * lanes + l] = true;
                    runnable.add(woken * lanes + l);
                }
            }
        }
        StringBuilder stuck = new StringBuilder();
        int stuckCount = 0;
        for (int r = 0; r < n; r++) {
            for (int l = 0; l < lanes; l++) {
                if (pc[r][l] < schedules[r].laneEnd(l) && stuckCount++ < 8) {
                    int st = pc[r][l];
                    stuck.append("\n  rank ").append(r).append(" lane ").append(l).append(" step #").append(st)
                            .append(' ').append(schedules[r].kind(st)).append(" from ")
                            .append(schedules[r].recvPeer(st)).append('[').append(schedules[r].recvIndex(st))
                            .append("] n=").append(schedules[r].count(st));
                }
            }
        }
        if (stuckCount > 0) {
            throw new AssertionError("deadlock: " + stuckCount + " lane(s) stuck in " + spec + stuck);
        }
        for (Map.Entry<Long, ArrayDeque<Message>> e : inFlight.entrySet()) {
            if (!e.getValue().isEmpty()) {
                long key = e.getKey();
                throw new AssertionError(e.getValue().size() + " unmatched message(s) from rank " + (key >>> 40)
                        + " to rank " + ((key >>> 20) & 0xFFFFF) + " lane " + (key & 0xFFFFF) + ", first sent by "
                        + "step #" + e.getValue().peek().originStep());
            }
        }
        return this;
    }

    /** The step being executed, for failure messages only (building it per step costs too much). */
    private String where() {
        return "rank " + curRank + " lane " + curLane + " step #" + curStep + " " + schedules[curRank].kind(curStep);
    }

    /** Executes one step; returns -2 when it must wait, else the rank a send went to or -1. */
    private int execute(int r, int lane, int st) {
        Schedule s = schedules[r];
        StepKind kind = s.kind(st);
        long cnt = s.count(st);
        curRank = r;
        curLane = lane;
        curStep = st;
        if (s.isFinal(st) && !kind.reduces()) {
            throw new AssertionError(where() + ": FLAG_FINAL on a step that does not reduce");
        }
        // Barrier causality, modelling the engine's freedom: a step is ordered only after the earlier
        // steps whose memory it conflicts with, so it knows what they knew plus what its message says.
        current = barrier ? new BitSet(n) : null;
        if (barrier) {
            current.set(r);
        }
        Message in = null;
        if (kind.receives()) {
            ArrayDeque<Message> q = inFlight.get(key(s.recvPeer(st), r, lane));
            if (q == null || q.isEmpty()) {
                return -2;
            }
            in = q.poll();
            if (in.hash().length != cnt) {
                throw new AssertionError(where() + " expects " + cnt + " elements from rank " + s.recvPeer(st)
                         + " but the matching send (its step #" + in.originStep() + ") has " + in.hash().length);
            }
            if (in.sendIndex() != s.recvIndex(st)) {
                throw new AssertionError(where() + ": recvIndex " + s.recvIndex(st) + " matched sendIndex "
                        + in.sendIndex());
            }
            if (barrier && in.knowledge() != null) {
                current.or(in.knowledge());
            }
        }
        int result = apply(r, lane, st, kind, cnt, in);
        if (barrier && result != -2) {
            heard[r].or(current);
        }
        return result;
    }

    private int apply(int r, int lane, int st, StepKind kind, long cnt, Message in) {
        Schedule s = schedules[r];
        switch (kind) {
            case SEND:
                return send(r, lane, st, snapshot(r, lane, s.srcRole(st), s.srcOffset(st), cnt));
            case RECV:
                write(r, lane, s.dstRole(st), s.dstOffset(st), in);
                return -1;
            case RECV_REDUCE:
            case RECV_REDUCE_SEND: {
                Message src = snapshot(r, lane, s.srcRole(st), s.srcOffset(st), cnt);
                write(r, lane, s.dstRole(st), s.dstOffset(st), reduce(src, in, s.isFinal(st)));
                return kind == StepKind.RECV_REDUCE ? -1
                        : send(r, lane, st, snapshot(r, lane, s.dstRole(st), s.dstOffset(st), cnt));
            }
            case RECV_COPY_SEND:
                write(r, lane, s.dstRole(st), s.dstOffset(st), in);
                return send(r, lane, st, snapshot(r, lane, s.dstRole(st), s.dstOffset(st), cnt));
            case COPY:
                write(r, lane, s.dstRole(st), s.dstOffset(st),
                        snapshot(r, lane, s.srcRole(st), s.srcOffset(st), cnt));
                return -1;
            case REDUCE_LOCAL: {
                Message src = snapshot(r, lane, s.srcRole(st), s.srcOffset(st), cnt);
                Message dst = snapshot(r, lane, s.dstRole(st), s.dstOffset(st), cnt);
                write(r, lane, s.dstRole(st), s.dstOffset(st), reduce(src, dst, s.isFinal(st)));
                return -1;
            }
            default:
                throw new AssertionError(where() + ": unknown step kind");
        }
    }

    private int send(int r, int lane, int st, Message data) {
        int peer = schedules[r].sendPeer(st);
        if (peer < 0 || peer >= n || peer == r) {
            throw new AssertionError(where() + ": bad send peer " + peer);
        }
        Message m = new Message(schedules[r].sendIndex(st), data.hash(), data.count(), data.keys(), data.state(), st,
                barrier ? (BitSet) current.clone() : null);
        inFlight.computeIfAbsent(key(r, peer, lane), k -> new ArrayDeque<>()).add(m);
        return peer;
    }

    private static long key(int from, int to, int lane) {
        return ((long) from << 40) | ((long) to << 20) | lane;
    }

    private Message reduce(Message a, Message b, boolean isFinal) {
        int len = a.hash().length;
        long[] hash = new long[len];
        int[] count = new int[len];
        long[] keys = new long[len];
        byte[] state = new byte[len];
        for (int i = 0; i < len; i++) {
            if (a.state()[i] == FINAL || b.state()[i] == FINAL) {
                throw new AssertionError(where() + ": reduces an already final value at element " + i);
            }
            hash[i] = combine(a.hash()[i], b.hash()[i]);
            count[i] = a.count()[i] + b.count()[i];
            keys[i] = a.keys()[i] + b.keys()[i];
            state[i] = VALUE;
            if (isFinal) {
                if (count[i] != n) {
                    throw new AssertionError(where() + ": final flag on a partial result (" + count[i] + " of " + n
                            + " contributions)");
                }
                hash[i] = finalized(hash[i]);
                state[i] = FINAL;
            }
        }
        return new Message(hash, count, keys, state);
    }

    private Message snapshot(int r, int lane, Role role, long offset, long cnt) {
        Memory m = access(r, lane, role, offset, cnt);
        int at = (int) (base[r][role.ordinal()] + offset);
        int len = (int) cnt;
        for (int i = 0; i < len; i++) {
            if (m.state[at + i] == JUNK && !barrier) {
                throw new AssertionError(where() + " reads uninitialised " + role + "@" + (offset + i));
            }
        }
        if (role == Role.INPUT && cnt > 0) {
            readInput[r] = true;
        }
        return new Message(java.util.Arrays.copyOfRange(m.hash, at, at + len),
                java.util.Arrays.copyOfRange(m.count, at, at + len), java.util.Arrays.copyOfRange(m.keys, at, at + len),
                java.util.Arrays.copyOfRange(m.state, at, at + len));
    }

    private void write(int r, int lane, Role role, long offset, Message data) {
        if (role == Role.INPUT) {
            throw new AssertionError(where() + " writes INPUT");
        }
        long cnt = data.hash().length;
        Memory m = access(r, lane, role, offset, cnt);
        int at = (int) (base[r][role.ordinal()] + offset);
        System.arraycopy(data.hash(), 0, m.hash, at, (int) cnt);
        System.arraycopy(data.count(), 0, m.count, at, (int) cnt);
        System.arraycopy(data.keys(), 0, m.keys, at, (int) cnt);
        System.arraycopy(data.state(), 0, m.state, at, (int) cnt);
    }

    /** Bounds, lane-disjointness and role bookkeeping shared by reads and writes. */
    private Memory access(int r, int lane, Role role, long offset, long cnt) {
        long limit = size[r][role.ordinal()];
        if (offset < 0 || cnt < 0 || offset + cnt > limit) {
            throw new AssertionError(where() + " accesses " + role + "[" + offset + "," + (offset + cnt)
                    + ") outside [0," + limit + ")");
        }
        if (role == Role.OUTPUT && cnt > 0) {
            touchedOutput[r] = true;
        }
        Memory m = memory[r][role.ordinal()];
        int at = (int) (base[r][role.ordinal()] + offset);
        for (int i = 0; i < cnt; i++) {
            byte owner = m.lane[at + i];
            if (owner != lane && owner != -1) {
                throw new AssertionError(where() + " touches " + role + "@" + (offset + i) + ", which lane " + owner
                        + " also uses");
            }
            m.lane[at + i] = (byte) lane;
            if (barrier) {
                if (m.knowledge[at + i] == null) {
                    m.knowledge[at + i] = new BitSet(n);
                }
                current.or(m.knowledge[at + i]);
                m.knowledge[at + i].or(current);
            }
        }
        return m;
    }

    /** Symbolic contents of {@code role} on {@code rank} after the run. */
    long hash(int rank, Role role, long element) {
        return memory[rank][role.ordinal()].hash[index(rank, role, element)];
    }

    int contributions(int rank, Role role, long element) {
        return memory[rank][role.ordinal()].count[index(rank, role, element)];
    }

    long keys(int rank, Role role, long element) {
        return memory[rank][role.ordinal()].keys[index(rank, role, element)];
    }

    byte state(int rank, Role role, long element) {
        return memory[rank][role.ordinal()].state[index(rank, role, element)];
    }

    private int index(int rank, Role role, long element) {
        return (int) (base[rank][role.ordinal()] + element);
    }

    boolean touchedOutput(int rank) {
        return touchedOutput[rank];
    }

    boolean readInput(int rank) {
        return readInput[rank];
    }

    /** Ranks whose arrival {@code rank} can have learnt of by the time its schedule completed. */
    BitSet heardFrom(int rank) {
        return heard[rank];
    }

    long stepsExecuted() {
        return stepsExecuted;
    }

    Schedule schedule(int rank) {
        return schedules[rank];
    }
}
