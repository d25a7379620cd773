package io.jccl;

import io.jccl.config.Configuration;
import io.jccl.config.CoreOptions;
import io.jccl.engine.Operation;
import io.jccl.engine.ProgressEngine;
import io.jccl.schedule.Algorithm;
import io.jccl.schedule.AlgorithmSelector;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.CollectiveSpec;
import io.jccl.schedule.Schedule;
import io.jccl.schedule.ScheduleBuilder;
import io.jccl.schedule.Role;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A group of ranks that run collectives together; one per process and job (or one per rank
 * thread in tests). Build it with {@link #builder()}, close it when done.
 *
 * <pre>{@code
 * try (Communicator comm = Communicator.builder().fromEnvironment().transport("tcp").build()) {
 *     ByteBuffer grads = comm.allocate(4L * n);
 *     comm.allReduce(grads, n, DataType.FLOAT32, ReduceOp.SUM);
 * }
 * }</pre>
 *
 * <p>Threading: thread-safe; calls from several threads are executed in the order they were
 * submitted, so ranks must agree on that order. The work runs on the transport's progress thread,
 * which also completes the futures of async calls: continuations attached without an executor run
 * there, so keep them short, and a blocking JCCL call made there fails rather than deadlock.
 * After a timeout, a mismatch or a peer failure the communicator is unusable: every later call
 * fails with the original cause, and the job should rebuild it (as with NCCL's abort).
 */
public final class Communicator extends CollectiveCalls implements AutoCloseable {
    private final int rank;
    private final int worldSize;
    private final String transportName;
    private final Configuration configuration;
    private final AlgorithmSelector selector;
    private final ProgressEngine engine;
    private final long defaultTimeoutNs;
    private final int sliceBytes;
    private final int lanes;
    private final Map<PlanKey, Schedule> plans = new ConcurrentHashMap<>();
    private final Plan[] recentPlans = new Plan[8];
    private int recentNext;
    /** The operation of the last finished blocking call, reused by the next one. */
    private final AtomicReference<Operation> spareOperation = new AtomicReference<>();
    private volatile boolean closed;

    Communicator(int rank, int worldSize, String transportName, Configuration configuration,
                 AlgorithmSelector selector, ProgressEngine engine) {
        this.rank = rank;
        this.worldSize = worldSize;
        this.transportName = transportName;
        this.configuration = configuration;
        this.selector = selector;
        this.engine = engine;
        this.defaultTimeoutNs = TimeUnit.MILLISECONDS.toNanos(configuration.get(CoreOptions.TIMEOUT_MS));
        this.sliceBytes = configuration.get(CoreOptions.SLICE_BYTES);
        this.lanes = configuration.get(CoreOptions.LANES);
    }

    /** Starts building a communicator. */
    public static CommunicatorBuilder builder() {
        return new CommunicatorBuilder();
    }

    /** This process's rank, 0..worldSize-1. */
    public int rank() {
        return rank;
    }

    public int worldSize() {
        return worldSize;
    }

    /** Name of the transport in use ({@code tcp}, {@code loopback}, ...). */
    public String transportName() {
        return transportName;
    }

    /** The effective configuration. */
    public Configuration configuration() {
        return configuration;
    }

    /**
     * Allocates off-heap memory in native byte order, ready for any call.
     *
     * @param bytes capacity in bytes
     */
    public ByteBuffer allocate(long bytes) {
        if (bytes < 0 || bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("allocate: bytes must be in [0, 2^31-1], got " + bytes);
        }
        return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
    }

    /** A view applying {@code options} to every call made through it; shares this communicator. */
    public Collectives with(CallOptions options) {
        Objects.requireNonNull(options, "options");
        if (options.algorithm() == null && options.timeout() == null) {
            return this;
        }
        Communicator self = this;
        long timeoutNs = options.timeout() == null ? defaultTimeoutNs : options.timeout().toNanos();
        return new CollectiveCalls() {
            @Override
            Operation submit(CollectiveKind kind, ByteBuffer in, ByteBuffer out, long count, DataType type,
                             ReduceOp op, int root, boolean inPlace, boolean async) {
                return self.submit(kind, in, out, count, type, op, root, inPlace, async, options.algorithm(),
                        timeoutNs);
            }

            @Override
            long timeoutNs() {
                return timeoutNs;
            }

            @Override
            void recycle(Operation operation) {
                self.recycle(operation);
            }
        };
    }

    /** The algorithm the communicator would choose for a call, e.g. to log it. */
    public String algorithmFor(CollectiveKind kind, long count, DataType type) {
        return selector.select(spec(kind, count, type, ReduceOp.SUM, 0, false), null).name();
    }

    @Override
    long timeoutNs() {
        return defaultTimeoutNs;
    }

    @Override
    Operation submit(CollectiveKind kind, ByteBuffer in, ByteBuffer out, long count, DataType type, ReduceOp op,
                     int root, boolean inPlace, boolean async) {
        return submit(kind, in, out, count, type, op, root, inPlace, async, null, defaultTimeoutNs);
    }

    private Operation submit(CollectiveKind kind, ByteBuffer in, ByteBuffer out, long count, DataType type,
                             ReduceOp op, int root, boolean inPlace, boolean async, String algorithm,
                             long timeoutNs) {
        if (closed) {
            throw new IllegalStateException(kind.key() + ": the communicator is closed; build a new one");
        }
        Throwable f = engine.failure();
        if (f != null) {
            throw new JcclException(kind.key() + ": the communicator is unusable after an earlier failure ("
                    + f.getMessage() + "); build a new one", f);
        }
        if (!async && engine.inLoop()) {
            throw new IllegalStateException(kind.key() + " is blocking but was called on JCCL's progress thread"
                    + " (from a continuation of a JCCL future), where it would wait for itself; use the Async form"
                    + " or attach the continuation with an executor (thenRunAsync)");
        }
        ArgumentChecks.check(kind, in, out, count, type, op, root, inPlace, rank, worldSize);
        Plan plan = plan(kind, count, type, op, root, inPlace, algorithm);
        Operation operation = async ? null : spareOperation.getAndSet(null);
        if (operation == null) {
            operation = new Operation();
        }
        operation.set(kind, plan.name, plan.schedule, type, op, count, root, rank, in, in == null ? 0 : in.position(),
                out, out == null ? 0 : out.position(), inPlace, timeoutNs, async, plan.descriptor);
        if (async) {
            engine.submit(operation);
        } else {
            engine.submitAndDrive(operation); // returns when it has ended, unless the loop is driven elsewhere
        }
        return operation;
    }

    /** Gives a finished blocking call's operation back for the next call. */
    @Override
    void recycle(Operation operation) {
        operation.clearMemory();
        spareOperation.set(operation);
    }

    /** The plan for a call: one of the last few (no allocation), else selected, built and cached. */
    private Plan plan(CollectiveKind kind, long count, DataType type, ReduceOp op, int root, boolean inPlace,
                      String algorithm) {
        Plan[] r = recentPlans;
        for (Plan p : r) {
            if (p != null && p.matches(kind, count, type, op, root, inPlace, algorithm)) {
                return p;
            }
        }
        CollectiveSpec spec = spec(kind, count, type, op, root, inPlace);
        String name;
        Schedule schedule;
        if (kind == CollectiveKind.SEND || kind == CollectiveKind.RECV) {
            name = "p2p";
            schedule = plans.computeIfAbsent(new PlanKey(name, spec), k -> pointToPoint(kind, root, count));
        } else {
            Algorithm a = selector.select(spec, algorithm);
            name = a.name();
            schedule = plans.computeIfAbsent(new PlanKey(name, spec), k -> a.plan(spec, rank));
        }
        Plan p = new Plan(kind, count, type, op, root, inPlace, algorithm, name, schedule,
                Operation.descriptorOf(kind, type, op, name, count, root));
        // Racy round robin: a lost update only evicts another entry early.
        int slot = recentNext;
        recentNext = (slot + 1) % r.length;
        r[slot] = p;
        return p;
    }

    private CollectiveSpec spec(CollectiveKind kind, long count, DataType type, ReduceOp op, int root,
                                boolean inPlace) {
        return CollectiveSpec.forCall(kind, worldSize, count, type, op, root, inPlace, sliceBytes, lanes);
    }

    private Schedule pointToPoint(CollectiveKind kind, int peer, long count) {
        ScheduleBuilder b = new ScheduleBuilder(rank, 1);
        if (kind == CollectiveKind.SEND) {
            b.send(0, peer, Role.INPUT, 0, count);
        } else {
            b.recv(0, peer, Role.OUTPUT, 0, count);
        }
        return b.build();
    }

    /**
     * Closes the communicator: stops its engine and transport (the rendezvous store was released when it was built).
     * Calls still in flight fail. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        engine.close();
    }

    @Override
    public String toString() {
        return "Communicator[rank " + rank + " of " + worldSize + ", transport " + transportName + "]";
    }

    private record PlanKey(String algorithm, CollectiveSpec spec) {
    }

    /** A call's plan with everything it was chosen by; immutable, so safely shared through a plain array. */
    private static final class Plan {
        final CollectiveKind kind;
        final long count;
        final DataType type;
        final ReduceOp op;
        final int root;
        final boolean inPlace;
        final String requested;
        final String name;
        final Schedule schedule;
        final long descriptor;

        Plan(CollectiveKind kind, long count, DataType type, ReduceOp op, int root, boolean inPlace,
             String requested, String name, Schedule schedule, long descriptor) {
            this.kind = kind;
            this.count = count;
            this.type = type;
            this.op = op;
            this.root = root;
            this.inPlace = inPlace;
            this.requested = requested;
            this.name = name;
            this.schedule = schedule;
            this.descriptor = descriptor;
        }

        boolean matches(CollectiveKind k, long c, DataType t, ReduceOp o, int r, boolean ip, String algorithm) {
            return k == kind && c == count && t == type && o == op && r == root && ip == inPlace
                    && Objects.equals(algorithm, requested);
        }
    }
}
