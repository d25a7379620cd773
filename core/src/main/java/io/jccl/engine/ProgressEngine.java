package io.jccl.engine;

import io.jccl.CollectiveMismatchException;
import io.jccl.JcclException;
import io.jccl.JcclTimeoutException;
import io.jccl.PeerFailureException;
import io.jccl.ReduceOp;
import io.jccl.config.Configuration;
import io.jccl.config.CoreOptions;
import io.jccl.reduce.Reductions;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.CollectiveSpec;
import io.jccl.schedule.Role;
import io.jccl.schedule.Schedule;
import io.jccl.schedule.StepKind;
import io.jccl.spi.Connection;
import io.jccl.spi.InboundFragment;
import io.jccl.spi.Placement;
import io.jccl.spi.ProgressLoop;
import io.jccl.spi.Tags;
import io.jccl.spi.Transport;
import io.jccl.spi.TransportContext;
import io.jccl.spi.TransportHandler;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Executes schedules: the only code that talks to the transport. One engine per communicator. It
 * has no thread of its own: it runs on the transport's {@link ProgressLoop}, driven by the
 * transport's events and by submissions, so data is matched, reduced and answered on the thread
 * that read it. Where the loop allows it, the caller of a blocking call is that thread while it
 * waits ({@link #submitAndDrive}); the engine tells the loop when work is in flight that must
 * progress without a caller ({@link ProgressLoop#keepRunning}). Operations execute one after another
 * in submission order (the order every rank calls collectives in); within an operation, each lane
 * issues its steps in order and keeps up to {@code jccl.engine.window} of them in flight, holding
 * back a step whose memory conflicts with an earlier unfinished step of its lane.
 *
 * <p>Inbound messages are matched by (peer, tag) to the receiving step the schedule says they
 * belong to; data for a step not yet issued, or for a later operation, is retained (not copied by
 * the engine) until its step runs. Every operation has a deadline, checked by a periodic tick; a
 * timeout, a descriptor mismatch or a dead peer the operation depends on fails it and leaves the
 * communicator unusable.
 *
 * <p>Threading: {@link #submit}, {@link #submitAndDrive} (not on the loop thread), {@link #failure()}
 * and {@link #close()} from any thread; the rest on the loop thread.
 */
public final class ProgressEngine implements TransportContext, TransportHandler, AutoCloseable {
    private static final byte NOT_ISSUED = 0;
    private static final byte WAIT_RECV = 1;
    private static final byte SEND_PENDING = 2;
    private static final byte WAIT_SEND = 3;
    private static final byte DONE = 4;
    private static final long TICK_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long DEAD_PEER_GRACE_NS = TimeUnit.SECONDS.toNanos(2);
    private static final long CLOSE_WAIT_MS = 10_000;
    /** How long past an op's deadline its caller drives the loop, for the tick to fail it there. */
    private static final long DRIVE_GRACE_NS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Calls of at least this many bytes ({@link CollectiveSpec#messageBytes}) poll for {@code jccl.poll.stream.us}. */
    static final long STREAM_POLL_BYTES = 64 * 1024;

    private final int rank;
    private final int worldSize;
    private final long communicatorId;
    private final Configuration configuration;
    private final InetAddress advertiseAddress;
    private final int window;
    private final long pollNs;
    private final long streamPollNs;
    /** The poll of the operation running or just ended. Loop thread only. */
    private long activePollNs;
    private final Object submitLock = new Object();
    /** Submitted operations not yet begun, linked through {@link Operation#next}; guarded by submitLock. */
    private Operation queueHead;
    private Operation queueTail;
    private final AtomicBoolean kickQueued = new AtomicBoolean();
    private final Runnable kick = this::onKick;
    private volatile boolean running = true;
    private volatile Throwable failure;

    private Transport transport;
    private ProgressLoop loop;
    private byte[][] peerAddresses;
    private Connection[] connections;
    private final boolean[] deadPeers;
    private final Throwable[] deadPeerCause;
    private int nextCollectiveSequence;
    private final int[] nextSendSequence;
    private final int[] nextRecvSequence;

    // Loop-thread state of the operation being executed. Arrays are reused across operations.
    private boolean pumping;
    /** What the loop was last told by {@link ProgressLoop#keepRunning}. */
    private boolean loopKeepsRunning;
    private boolean pumpAgain;
    private boolean shutDown;
    private Operation active;
    private Schedule schedule;
    private int generation;
    private int lastCollectiveDone = -1;
    private long deadPeerGraceNs;
    private int remaining;
    private int divisor;
    private byte[] state = new byte[0];
    private int[] receivedBytes = new int[0];
    private byte[] carryLength = new byte[0];
    private byte[] carry = new byte[0];
    private List<ArrayDeque<InboundFragment>> pending = new ArrayList<>();
    private int[] issueNext = new int[0];
    private int[] head = new int[0];
    /** Fragments that arrived before their operation began; {@link #replay} is the spare list swapped in. */
    private ArrayList<InboundFragment> early = new ArrayList<>();
    private ArrayList<InboundFragment> replay = new ArrayList<>();
    private final KeptFragment.Pool kept = new KeptFragment.Pool();
    private final IdentityHashMap<Schedule, Dependencies> dependencyCache = new IdentityHashMap<>();
    private Dependencies dependencies;
    private final ByteBuffer carryScratch = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
    private ByteBuffer scratch = ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder());

    public ProgressEngine(int rank, int worldSize, long communicatorId, Configuration configuration,
                          InetAddress advertiseAddress) {
        this.rank = rank;
        this.worldSize = worldSize;
        this.communicatorId = communicatorId;
        this.configuration = configuration;
        this.advertiseAddress = advertiseAddress;
        this.window = configuration.get(CoreOptions.WINDOW);
        this.pollNs = TimeUnit.MICROSECONDS.toNanos(configuration.get(CoreOptions.POLL_US));
        this.streamPollNs = TimeUnit.MICROSECONDS.toNanos(configuration.get(CoreOptions.POLL_STREAM_US));
        this.activePollNs = pollNs;
        this.deadPeers = new boolean[worldSize];
        this.deadPeerCause = new Throwable[worldSize];
        this.nextSendSequence = new int[worldSize];
        this.nextRecvSequence = new int[worldSize];
    }

    /**
     * Attaches the opened transport and the peers' addresses; from then on submissions run on the
     * transport's loop. Events the transport delivered before this (early data) are kept.
     */
    public void start(Transport transport, byte[][] peerAddresses) {
        this.transport = transport;
        this.peerAddresses = peerAddresses.clone();
        this.connections = new Connection[worldSize];
        this.loop = transport.loop();
        // Everything above happens-before the loop runs the tasks below.
        loop.every(TICK_NS, this::tick);
        loop.execute(kick);
    }

    /** Whether the calling thread is the one this engine runs on (blocking there would deadlock). */
    public boolean inLoop() {
        ProgressLoop l = loop;
        return l != null && l.inLoop();
    }

    // ---------------------------------------------------------------- TransportContext

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int worldSize() {
        return worldSize;
    }

    @Override
    public long communicatorId() {
        return communicatorId;
    }

    @Override
    public InetAddress advertiseAddress() {
        return advertiseAddress;
    }

    @Override
    public Configuration configuration() {
        return configuration;
    }

    // ---------------------------------------------------------------- submission (any thread)

    /**
     * Queues {@code op}; assigns its sequence number in call order. Completes the op at once,
     * exceptionally, when the engine is closed or broken.
     */
    public void submit(Operation op) {
        op.pollNs = pollNsOf(op);
        synchronized (submitLock) {
            Throwable f = failure;
            if (f != null) {
                op.complete(unusable(f));
                return;
            }
            if (!running) {
                op.complete(new IllegalStateException("Communicator is closed"));
                return;
            }
            if (op.kind == CollectiveKind.SEND) {
                op.sequence = nextSendSequence[op.root]++;
            } else if (op.kind == CollectiveKind.RECV) {
                op.sequence = nextRecvSequence[op.root]++;
            } else {
                op.sequence = nextCollectiveSequence++;
            }
            op.deadlineNs = System.nanoTime() + op.timeoutNs;
            if (queueTail == null) {
                queueHead = op;
            } else {
                queueTail.next = op;
            }
            queueTail = op;
        }
        ProgressLoop l = loop;
        if (l != null) {
            if (l.inLoop()) {
                pump(); // a caller that drives the loop, or a continuation on it: no task hop needed
            } else if (kickQueued.compareAndSet(false, true)) {
                l.execute(kick);
            }
        }
    }

    /**
     * Queues a blocking call's {@code op} and, when the loop lets callers drive it and nobody else
     * does now, runs the loop on the calling thread until the op has ended or its deadline has passed,
     * so the call needs no other thread. Otherwise it only queues the op. Either way the caller then
     * {@link Operation#await awaits} it, which returns at once when it has ended.
     */
    public void submitAndDrive(Operation op) {
        ProgressLoop l = loop;
        if (l == null || !l.tryEnter()) {
            submit(op);
            return;
        }
        try {
            submit(op);
            l.driveUntil(op, op.deadlineNs + DRIVE_GRACE_NS);
        } finally {
            l.leave();
        }
    }

    private Operation takeSubmission() {
        synchronized (submitLock) {
            Operation op = queueHead;
            if (op != null) {
                queueHead = op.next;
                if (queueHead == null) {
                    queueTail = null;
                }
                op.next = null;
            }
            return op;
        }
    }

    /** The failure that made this engine unusable, or {@code null}. */
    public Throwable failure() {
        return failure;
    }

    private static JcclException unusable(Throwable f) {
        return new JcclException("Communicator is unusable after an earlier failure (" + f.getMessage()
                + "); create a new communicator", f);
    }

    // ---------------------------------------------------------------- loop thread

    private void onKick() {
        kickQueued.set(false);
        pump();
    }

    /**
     * Does all the work there is: begins the next operation when none runs, issues what its lanes
     * allow, and finishes it when every step is done. Re-entrant calls (a send completing from
     * inside a post) only note that another round is due.
     */
    private void pump() {
        if (pumping) {
            pumpAgain = true;
            return;
        }
        pumping = true;
        try {
            do {
                pumpAgain = false;
                if (shutDown) {
                    return;
                }
                if (active == null) {
                    Operation next = takeSubmission();
                    if (next == null) {
                        return;
                    }
                    begin(next);
                }
                while (active != null && advance() > 0) {
                    // keep issuing: a step that completed at once may have freed a window slot
                }
                if (active != null && remaining == 0) {
                    finish(null);
                    pumpAgain = true;
                }
            } while (pumpAgain);
        } catch (RuntimeException | Error e) {
            crash(e);
        } finally {
            pumping = false;
            tellLoopInFlight();
        }
    }

    /** Lets a loop that callers drive know whether it must keep running on its own thread. */
    private void tellLoopInFlight() {
        boolean now = active != null;
        if (now != loopKeepsRunning) {
            loopKeepsRunning = now;
            loop.keepRunning(now);
        }
    }

    private void crash(Throwable t) {
        failAll(new JcclException("JCCL engine of rank " + rank + " crashed: " + t, t));
    }

    /** Periodic: deadline of the running operation and the dead-peer grace. */
    private void tick() {
        try {
            if (active == null || shutDown) {
                return;
            }
            long now = System.nanoTime();
            if (now - active.deadlineNs > 0) {
                failAll(new JcclTimeoutException(timeoutMessage()));
            } else if (deadPeerGraceNs != 0 && now - deadPeerGraceNs > 0) {
                deadPeerGraceNs = 0;
                checkDeadPeers(true);
            }
            pump();
        } catch (RuntimeException | Error e) {
            crash(e);
        }
    }

    /**
     * How long threads waiting on {@code op} poll before they sleep. A small call's answers come within
     * microseconds, and with more ranks than cores a thread that keeps polling takes the core from the
     * rank it waits for, so it sleeps soon ({@code jccl.poll.us}); a large call's slices come with
     * gaps of a slice's transfer and reduction, so it polls longer ({@code jccl.poll.stream.us}).
     */
    private long pollNsOf(Operation op) {
        long bytes = CollectiveSpec.messageBytes(op.kind, op.countElements, op.elementBytes, worldSize);
        return bytes < STREAM_POLL_BYTES ? pollNs : streamPollNs;
    }

    /** Keeps the loop polling for a while: answers (or the next call) are expected soon. */
    private void stayAwake() {
        if (activePollNs > 0) {
            loop.pollUntil(System.nanoTime() + activePollNs);
        }
    }

    private void begin(Operation op) {
        activePollNs = op.pollNs;
        stayAwake();
        active = op;
        schedule = op.schedule;
        generation++;
        int steps = schedule.stepCount();
        if (state.length < steps) {
            int n = Math.max(steps, state.length * 2);
            state = new byte[n];
            receivedBytes = new int[n];
            carryLength = new byte[n];
            carry = new byte[n * 8];
            while (pending.size() < n) {
                pending.add(null);
            }
        }
        Arrays.fill(state, 0, steps, NOT_ISSUED);
        Arrays.fill(receivedBytes, 0, steps, 0);
        Arrays.fill(carryLength, 0, steps, (byte) 0);
        int lanes = schedule.lanes();
        if (issueNext.length < lanes) {
            issueNext = new int[lanes];
            head = new int[lanes];
        }
        for (int l = 0; l < lanes; l++) {
            issueNext[l] = schedule.laneStart(l);
            head[l] = schedule.laneStart(l);
        }
        remaining = steps;
        divisor = op.op == ReduceOp.AVG ? worldSize : 0;
        long scratchBytes = schedule.scratchElements() * op.elementBytes;
        if (scratchBytes > scratch.capacity()) {
            scratch = ByteBuffer.allocateDirect((int) Math.max(scratchBytes, scratch.capacity() * 2L))
                    .order(ByteOrder.nativeOrder());
        }
        op.memory[Role.SCRATCH.ordinal()] = scratch;
        dependencies = dependenciesOf(op);
        if (!early.isEmpty()) {
            // Replay what arrived before this operation started, in arrival order; what belongs to
            // a later operation goes back into the (swapped, empty) early list.
            ArrayList<InboundFragment> arrived = early;
            early = replay;
            replay = arrived;
            for (int i = 0; i < arrived.size(); i++) {
                InboundFragment f = arrived.get(i);
                if (active != op) {
                    f.release();
                } else {
                    dispatch(f, true);
                }
            }
            arrived.clear();
        }
    }

    private void finish(Throwable cause) {
        Operation op = active;
        int steps = schedule.stepCount();
        for (int s = 0; s < steps; s++) {
            ArrayDeque<InboundFragment> q = pending.get(s);
            if (q != null) {
                InboundFragment f;
                while ((f = q.poll()) != null) {
                    f.release();
                }
            }
        }
        if (op.kind != CollectiveKind.SEND && op.kind != CollectiveKind.RECV) {
            lastCollectiveDone = op.sequence;
        }
        active = null;
        schedule = null;
        deadPeerGraceNs = 0;
        op.memory[Role.SCRATCH.ordinal()] = null;
        stayAwake();
        op.complete(cause);
    }

    /** Fails the active and all queued operations and makes the communicator unusable. */
    private void failAll(Throwable cause) {
        synchronized (submitLock) {
            if (failure == null) {
                failure = cause;
            }
        }
        if (active != null) {
            finish(cause);
        }
        Operation op;
        while ((op = takeSubmission()) != null) {
            op.complete(unusable(cause));
        }
    }

    // ---------------------------------------------------------------- issuing steps

    private int advance() {
        int work = 0;
        Schedule s = schedule;
        for (int lane = 0; lane < s.lanes() && active != null; lane++) {
            int end = s.laneEnd(lane);
            while (issueNext[lane] < end && issueNext[lane] - head[lane] < window && active != null) {
                int step = issueNext[lane];
                if (conflictsWithInFlight(step) || !issue(step)) {
                    break;
                }
                issueNext[lane]++;
                work++;
            }
            // Retry fused sends that were back-pressured.
            for (int step = head[lane]; step < issueNext[lane] && active != null; step++) {
                if (state[step] == SEND_PENDING && postSend(step, Role.OUTPUT)) {
                    work++;
                }
            }
        }
        return work;
    }

    /** Issues {@code step}; returns false when back-pressured (retry later). */
    private boolean issue(int step) {
        Schedule s = schedule;
        Operation op = active;
        StepKind kind = s.kind(step);
        switch (kind) {
            case SEND:
                if (!checkPeer(s.sendPeer(step))) {
                    return false;
                }
                return postSend(step, null);
            case COPY: {
                int len = (int) (s.count(step) * op.elementBytes);
                if (len > 0) {
                    ByteBuffer dst = memory(step, false);
                    dst.put(offset(step, false), memory(step, true), offset(step, true), len);
                }
                done(step);
                return true;
            }
            case REDUCE_LOCAL: {
                int n = (int) s.count(step);
                if (n > 0) {
                    ByteBuffer dst = memory(step, false);
                    int d = offset(step, false);
                    Reductions.reduce(op.type, op.op, dst, d, memory(step, true), offset(step, true), dst, d, n,
                            s.isFinal(step) ? divisor : 0);
                }
                done(step);
                return true;
            }
            default: {
                if (!checkPeer(s.recvPeer(step))) {
                    return false;
                }
                state[step] = WAIT_RECV;
                ArrayDeque<InboundFragment> q = pending.get(step);
                if (q != null) {
                    InboundFragment f;
                    while (active == op && state[step] == WAIT_RECV && (f = q.poll()) != null) {
                        consume(step, f);
                        f.release();
                    }
                }
                return true;
            }
        }
    }

    /**
     * Lets a step involving a dead peer go ahead (its data may already be here or on its way), but
     * starts the grace clock after which {@link #checkDeadPeers} fails the operation.
     */
    private boolean checkPeer(int peer) {
        if (deadPeers[peer]) {
            startDeadPeerGrace();
        }
        return true;
    }

    private void startDeadPeerGrace() {
        if (deadPeerGraceNs == 0) {
            deadPeerGraceNs = System.nanoTime() + DEAD_PEER_GRACE_NS;
        }
    }

    /** Whether an earlier step of {@code step}'s lane that touches the same memory (one of them writing) is unfinished. */
    private boolean conflictsWithInFlight(int step) {
        int[] start = dependencies.start;
        int[] list = dependencies.steps;
        for (int k = start[step]; k < start[step + 1]; k++) {
            if (state[list[k]] != DONE) {
                return true;
            }
        }
        return false;
    }

    /**
     * The memory conflicts of the active operation's schedule, computed once per schedule: a step
     * is issued only when its lane's head is less than a window behind, so only the {@code window}
     * steps before it can still be unfinished, and only those are checked. The relation depends on
     * the schedule and on how the operation maps roles to memory, which is the same for every call
     * with that schedule (the plan is per in-place-ness, rank and size); it is checked anyway.
     */
    private Dependencies dependenciesOf(Operation op) {
        Dependencies d = dependencyCache.get(op.schedule);
        if (d != null && d.matches(op)) {
            return d;
        }
        Schedule s = op.schedule;
        int steps = s.stepCount();
        int[] start = new int[steps + 1];
        int[] list = new int[Math.max(16, steps)];
        int n = 0;
        for (int step = 0; step < steps; step++) {
            start[step] = n;
            int lane = s.laneOf(step);
            for (int j = Math.max(s.laneStart(lane), step - window); j < step; j++) {
                if (conflicts(step, j)) {
                    if (n == list.length) {
                        list = Arrays.copyOf(list, n * 2);
                    }
                    list[n++] = j;
                }
            }
        }
        start[steps] = n;
        d = new Dependencies(op, start, list);
        dependencyCache.put(s, d);
        return d;
    }

    /** Whether steps {@code step} and earlier {@code j} touch the same memory and one of them writes it. */
    private boolean conflicts(int step, int j) {
        Schedule s = schedule;
        if (s.count(step) == 0 || s.count(j) == 0) {
            return false;
        }
        StepKind k = s.kind(step);
        StepKind kj = s.kind(j);
        if (k.writesDst() && (kj.writesDst() && overlaps(step, false, j, false)
                || kj.readsSrc() && overlaps(step, false, j, true))) {
            return true;
        }
        return k.readsSrc() && kj.writesDst() && overlaps(step, true, j, false);
    }

    private boolean overlaps(int a, boolean aSrc, int b, boolean bSrc) {
        Operation op = active;
        Schedule s = schedule;
        Role ra = aSrc ? s.srcRole(a) : s.dstRole(a);
        Role rb = bSrc ? s.srcRole(b) : s.dstRole(b);
        if (op.memoryId[ra.ordinal()] != op.memoryId[rb.ordinal()]) {
            return false;
        }
        long sa = offset(a, aSrc);
        long sb = offset(b, bSrc);
        return sa < sb + s.count(b) * op.elementBytes && sb < sa + s.count(a) * op.elementBytes;
    }

    private ByteBuffer memory(int step, boolean src) {
        Role r = src ? schedule.srcRole(step) : schedule.dstRole(step);
        ByteBuffer b = active.memory[r.ordinal()];
        if (b == null) {
            throw new IllegalStateException("schedule of " + active.describe() + " touches " + r
                    + " which this rank does not have (algorithm bug)");
        }
        return b;
    }

    private int offset(int step, boolean src) {
        Role r = src ? schedule.srcRole(step) : schedule.dstRole(step);
        long elements = src ? schedule.srcOffset(step) : schedule.dstOffset(step);
        return (int) (active.baseBytes[r.ordinal()] + elements * active.elementBytes);
    }

    /** Posts the send of {@code step}: its src (plain SEND) or its dst (fused send after receive). */
    private boolean postSend(int step, Role fusedFrom) {
        Schedule s = schedule;
        Operation op = active;
        int peer = s.sendPeer(step);
        Connection c = connections[peer];
        if (c == null) {
            c = transport.connect(peer, peerAddresses[peer]);
            connections[peer] = c;
        }
        boolean fromSrc = fusedFrom == null;
        int len = (int) (s.count(step) * op.elementBytes);
        ByteBuffer mem = len == 0 ? scratch : memory(step, fromSrc);
        int off = len == 0 ? 0 : offset(step, fromSrc);
        long tag = op.kind == CollectiveKind.SEND ? Tags.pointToPoint(op.sequence)
                : Tags.collective(op.sequence, s.laneOf(step), s.sendIndex(step));
        long token = ((long) generation << 32) | step;
        byte before = state[step];
        // Set first: the completion may arrive from inside postSend.
        state[step] = WAIT_SEND;
        Connection.SendResult result = c.postSend(tag, op.descriptor, mem, off, len, token);
        if (result == Connection.SendResult.BACK_PRESSURED) {
            state[step] = before;
            return false;
        }
        if (result == Connection.SendResult.COMPLETE && active == op && state[step] == WAIT_SEND) {
            done(step);
        }
        return true;
    }

    private void done(int step) {
        state[step] = DONE;
        remaining--;
        int lane = schedule.laneOf(step);
        // Steps not yet issued are never DONE (a step can finish while being issued, before
        // issueNext moves past it), so this stops at the oldest unfinished step.
        int end = schedule.laneEnd(lane);
        while (head[lane] < end && state[head[lane]] == DONE) {
            head[lane]++;
        }
    }

    // ---------------------------------------------------------------- transport events

    @Override
    public void onSendComplete(long token) {
        try {
            if (active == null || (int) (token >>> 32) != generation) {
                return;
            }
            int step = (int) token;
            if (state[step] == WAIT_SEND) {
                done(step);
            }
            pump();
        } catch (RuntimeException | Error e) {
            crash(e);
        }
    }

    @Override
    public void onFragment(InboundFragment fragment) {
        try {
            if (shutDown) {
                return;
            }
            if (active != null) {
                stayAwake();
            }
            dispatch(fragment, false);
            pump();
        } catch (RuntimeException | Error e) {
            crash(e);
        }
    }

    /**
     * Lets the transport read the rest of a message straight into its destination when the step
     * that receives it is issued and only stores the data (RECV, RECV_COPY_SEND): its memory is then
     * ours to write, and the transport reports the bytes as placed fragments before anything else
     * can happen on this loop. Anything unusual (not expected yet, mismatched) returns false and
     * takes the ordinary path, which reports it.
     */
    @Override
    public boolean place(int peerRank, long tag, long descriptor, int messageBytes, int offsetBytes, Placement out) {
        Operation op = active;
        if (op == null || shutDown || descriptor != op.descriptor) {
            return false;
        }
        int step;
        if (Tags.isPointToPoint(tag)) {
            if (op.kind != CollectiveKind.RECV || op.root != peerRank || Tags.sequence(tag) != op.sequence) {
                return false;
            }
            step = 0;
        } else {
            if (op.kind == CollectiveKind.SEND || op.kind == CollectiveKind.RECV || Tags.sequence(tag) != op.sequence) {
                return false;
            }
            step = schedule.findRecvStep(peerRank, Tags.lane(tag), Tags.index(tag));
            if (step < 0) {
                return false;
            }
        }
        if (state[step] != WAIT_RECV || schedule.kind(step).reduces() || receivedBytes[step] != offsetBytes
                || schedule.count(step) * op.elementBytes != messageBytes) {
            return false;
        }
        out.set(memory(step, false), offset(step, false) + offsetBytes, messageBytes - offsetBytes);
        return true;
    }

    @Override
    public void onWritable(int peerRank) {
        pump();
    }

    @Override
    public void onFailure(int peerRank, Throwable cause) {
        try {
            if (shutDown) {
                return;
            }
            if (peerRank < 0) {
                failAll(new JcclException("Transport of rank " + rank + " failed: " + cause.getMessage(), cause));
                return;
            }
            if (deadPeers[peerRank]) {
                return;
            }
            deadPeers[peerRank] = true;
            deadPeerCause[peerRank] = cause;
            checkDeadPeers(false);
            pump();
        } catch (RuntimeException | Error e) {
            crash(e);
        }
    }

    /**
     * Fails the active operation if it still depends on a dead peer, after a short grace period:
     * a peer that finished its part and closed has sent everything we need, but its data may
     * still be in flight on another connection than the one whose close was noticed first (and,
     * with several I/O threads, a send completion may trail the close). A peer that really died
     * is reported {@code DEAD_PEER_GRACE_NS} after its failure, long before any timeout.
     */
    private void checkDeadPeers(boolean graceOver) {
        Schedule s = schedule;
        if (active == null) {
            return;
        }
        for (int step = 0; step < s.stepCount(); step++) {
            if (state[step] == DONE) {
                continue;
            }
            int from = s.recvPeer(step);
            boolean receiving = from >= 0 && (state[step] == NOT_ISSUED || state[step] == WAIT_RECV);
            int dead = receiving && deadPeers[from] ? from : -1;
            if (dead < 0 && s.sendPeer(step) >= 0 && deadPeers[s.sendPeer(step)]) {
                dead = s.sendPeer(step);
            }
            if (dead < 0) {
                continue;
            }
            if (!graceOver) {
                startDeadPeerGrace();
                return;
            }
            Throwable cause = deadPeerCause[dead];
            failAll(cause instanceof PeerFailureException ? cause : new PeerFailureException(dead,
                    "Rank " + dead + " failed during " + active.describe() + " on rank " + rank + ": "
                            + cause.getMessage(), cause));
            return;
        }
    }

    /** Routes a fragment to its step, or keeps it for later; {@code retained} fragments are ours to release. */
    private void dispatch(InboundFragment f, boolean retained) {
        Operation op = active;
        long tag = f.tag();
        int peer = f.peerRank();
        int step = -1;
        if (op != null) {
            if (Tags.isPointToPoint(tag)) {
                if (op.kind == CollectiveKind.RECV && op.root == peer && Tags.sequence(tag) == op.sequence) {
                    step = 0;
                }
            } else if (op.kind != CollectiveKind.SEND && op.kind != CollectiveKind.RECV) {
                int seq = Tags.sequence(tag);
                if (seq == op.sequence) {
                    step = schedule.findRecvStep(peer, Tags.lane(tag), Tags.index(tag));
                    if (step < 0) {
                        mismatch(f, "a message this rank's schedule does not expect (" + Tags.toString(tag) + ")");
                        release(f, retained);
                        return;
                    }
                } else if (seq <= lastCollectiveDone) {
                    mismatch(f, "a message for an already finished collective (" + Tags.toString(tag) + ")");
                    release(f, retained);
                    return;
                }
            }
        }
        if (step < 0) {
            early.add(retained ? f : kept.keep(f));
            return;
        }
        if (f.descriptor() != op.descriptor) {
            mismatch(f, "a message for " + Descriptor.describe(f.descriptor()));
            release(f, retained);
            return;
        }
        long expected = schedule.count(step) * op.elementBytes;
        if (f.messageBytes() != expected) {
            mismatch(f, "a message of " + f.messageBytes() + " bytes where " + expected + " bytes were expected");
            release(f, retained);
            return;
        }
        if (state[step] == WAIT_RECV) {
            consume(step, f);
            release(f, retained);
        } else if (state[step] == NOT_ISSUED) {
            ArrayDeque<InboundFragment> q = pending.get(step);
            if (q == null) {
                q = new ArrayDeque<>();
                pending.set(step, q);
            }
            q.add(retained ? f : kept.keep(f));
        } else {
            mismatch(f, "more data than the " + expected + " bytes expected (" + Tags.toString(tag) + ")");
            release(f, retained);
        }
    }

    private static void release(InboundFragment f, boolean retained) {
        if (retained) {
            f.release();
        }
    }

    private void mismatch(InboundFragment f, String what) {
        String running = active == null ? "no collective" : active.describe();
        failAll(new CollectiveMismatchException("Rank " + rank + " received from rank " + f.peerRank() + " " + what
                + " while running " + running + ". All ranks must call the same collectives in the same order with"
                + " the same count, data type, op, root and algorithm."));
    }

    /** Copies or reduces one fragment into the step's destination. */
    private void consume(int step, InboundFragment f) {
        Schedule s = schedule;
        Operation op = active;
        ByteBuffer data = f.data();
        int len = data.remaining();
        if (f.offsetBytes() != receivedBytes[step]) {
            mismatch(f, "a fragment at offset " + f.offsetBytes() + " where " + receivedBytes[step] + " was next");
            return;
        }
        if (f.placed()) {
            if (s.kind(step).reduces()) {
                throw new IllegalStateException("transport placed data for a reducing step " + step + " of "
                        + op.describe() + " (transport bug)");
            }
        } else if (len > 0) {
            StepKind kind = s.kind(step);
            ByteBuffer dst = memory(step, false);
            int dstOff = offset(step, false) + receivedBytes[step];
            if (!kind.reduces()) {
                dst.put(dstOff, data, data.position(), len);
            } else {
                reduceFragment(step, data, data.position(), len);
            }
        }
        receivedBytes[step] += len;
        if (receivedBytes[step] == s.count(step) * op.elementBytes) {
            if (s.kind(step).sends()) {
                state[step] = SEND_PENDING;
                postSend(step, Role.OUTPUT);
            } else {
                done(step);
            }
        }
    }

    /** Reduces {@code len} bytes of incoming data; elements split across fragments go through a carry. */
    private void reduceFragment(int step, ByteBuffer data, int pos, int len) {
        Schedule s = schedule;
        Operation op = active;
        int es = op.elementBytes;
        int fin = s.isFinal(step) ? divisor : 0;
        ByteBuffer dst = memory(step, false);
        ByteBuffer src = memory(step, true);
        int dstBase = offset(step, false);
        int srcBase = offset(step, true);
        int at = receivedBytes[step];
        int c = carryLength[step];
        if (c > 0) {
            int take = Math.min(es - c, len);
            for (int i = 0; i < take; i++) {
                carry[step * 8 + c + i] = data.get(pos + i);
            }
            c += take;
            pos += take;
            len -= take;
            at += take;
            if (c == es) {
                for (int i = 0; i < es; i++) {
                    carryScratch.put(i, carry[step * 8 + i]);
                }
                int e = at - es;
                Reductions.reduce(op.type, op.op, dst, dstBase + e, src, srcBase + e, carryScratch, 0, 1, fin);
                c = 0;
            }
        }
        int whole = len / es;
        if (whole > 0) {
            Reductions.reduce(op.type, op.op, dst, dstBase + at, src, srcBase + at, data, pos, whole, fin);
        }
        int rest = len - whole * es;
        for (int i = 0; i < rest; i++) {
            carry[step * 8 + c + i] = data.get(pos + whole * es + i);
        }
        carryLength[step] = (byte) (c + rest);
    }

    private String timeoutMessage() {
        Operation op = active;
        Schedule s = schedule;
        String waiting = "";
        for (int step = 0; step < s.stepCount(); step++) {
            if (state[step] == WAIT_RECV || state[step] == NOT_ISSUED && s.kind(step).receives()) {
                waiting = ": waiting for data from rank " + s.recvPeer(step) + " (lane " + s.laneOf(step) + ", step "
                        + step + " of " + s.stepCount() + ", " + s.kind(step) + ", " + receivedBytes[step] + " of "
                        + s.count(step) * op.elementBytes + " bytes received); that rank may be stuck, slower than"
                        + " the timeout, or calling a different collective";
                break;
            }
            if (state[step] == WAIT_SEND || state[step] == SEND_PENDING) {
                waiting = ": waiting for a send to rank " + s.sendPeer(step) + " to complete (step " + step + ")";
                break;
            }
        }
        return op.describe() + " on rank " + rank + " timed out after "
                + TimeUnit.NANOSECONDS.toMillis(op.timeoutNs) + " ms" + waiting
                + ". Raise jccl.timeout.ms (JCCL_TIMEOUT_MS) if the job is just slow.";
    }

    // ---------------------------------------------------------------- close

    /**
     * Fails what is still queued or running, then closes the transport (which stops the loop).
     * Called on the loop itself (from a future's continuation), it closes the transport from a
     * helper thread, since a loop cannot wait for its own end.
     */
    @Override
    public void close() {
        synchronized (submitLock) {
            if (!running) {
                return;
            }
            running = false;
        }
        ProgressLoop l = loop;
        if (l == null) {
            shutDownOnLoop(); // never started: no loop thread touches the state yet
        } else if (l.inLoop()) {
            shutDownOnLoop();
        } else {
            CountDownLatch done = new CountDownLatch(1);
            l.execute(() -> {
                shutDownOnLoop();
                done.countDown();
            });
            try {
                done.await(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Transport t = transport;
        if (t != null && l != null && l.inLoop()) {
            Thread closer = new Thread(t::close, "jccl-close-rank" + rank);
            closer.setDaemon(true);
            closer.start();
        } else if (t != null) {
            t.close();
        }
        // If the loop was gone before it could run the shutdown, fail the stragglers here.
        failQueued(new JcclException("Communicator closed before the operation started"));
    }

    private void shutDownOnLoop() {
        if (shutDown) {
            return;
        }
        shutDown = true;
        if (active != null) {
            finish(new JcclException("Communicator closed while the operation was in flight"));
        }
        failQueued(new JcclException("Communicator closed before the operation started"));
        for (InboundFragment f : early) {
            f.release();
        }
        early.clear();
    }

    private void failQueued(Throwable cause) {
        Operation op;
        while ((op = takeSubmission()) != null) {
            op.complete(cause);
        }
    }

    /** Per step, the earlier steps of its lane it must wait for (CSR: {@code steps[start[s]..start[s+1])}). */
    private static final class Dependencies {
        final int[] start;
        final int[] steps;
        /** The role-to-memory mapping they were computed for: identities and offsets relative to OUTPUT. */
        private final int[] memoryId;
        private final int[] relativeBase = new int[3];

        Dependencies(Operation op, int[] start, int[] steps) {
            this.start = start;
            this.steps = steps;
            this.memoryId = op.memoryId.clone();
            for (int r = 0; r < 3; r++) {
                relativeBase[r] = op.baseBytes[r] - op.baseBytes[Role.OUTPUT.ordinal()];
            }
        }

        /** Same identities, and the same offsets wherever a role shares OUTPUT's memory (only those are compared). */
        boolean matches(Operation op) {
            int out = Role.OUTPUT.ordinal();
            for (int r = 0; r < 3; r++) {
                if (op.memoryId[r] != memoryId[r]
                        || memoryId[r] == memoryId[out] && op.baseBytes[r] - op.baseBytes[out] != relativeBase[r]) {
                    return false;
                }
            }
            return true;
        }
    }
}
