package io.jccl.bench.jmh;

import io.jccl.Communicator;
import io.jccl.CommunicatorBuilder;
import io.jccl.bootstrap.InMemoryStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Ranks as threads in one JVM for the multi-rank benchmarks: {@code worldSize} communicators met
 * through an {@link InMemoryStore}; rank 0 belongs to the caller (the JMH benchmark thread), ranks
 * {@code 1..n-1} each repeat one call in a daemon thread. A collective cannot finish without rank 0,
 * so the peers run in lockstep with it, at most one call ahead, and wait inside that call while JMH
 * sits between iterations (hence a call timeout far longer than any such gap).
 *
 * <p>{@link #close()} stops the peers by closing every communicator, which fails the call they are
 * blocked in; every wait is bounded. Not thread-safe: build, {@link #startPeers}, {@link #close()}
 * from one thread.
 */
final class RankThreads implements AutoCloseable {
    /** Name prefix of the peer threads, so tests can check that none outlives {@link #close()}. */
    static final String THREAD_PREFIX = "jccl-jmh-rank-";
    /** Deadline of every collective and of the rendezvous. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final long JOIN_TIMEOUT_MS = 10_000;
    private static final AtomicInteger GROUPS = new AtomicInteger();

    /** One repetition of the measured call on one rank. */
    @FunctionalInterface
    interface RankCall {
        void call() throws Exception;
    }

    private final List<Communicator> comms;
    private final List<Thread> peers = new ArrayList<>();
    private final AtomicReference<Throwable> peerFailure = new AtomicReference<>();
    private volatile boolean stopping;

    private RankThreads(List<Communicator> comms) {
        this.comms = comms;
    }

    /**
     * Builds the communicators concurrently (the rendezvous needs every rank at once).
     *
     * @param options extra communicator options by property name, e.g. {@code jccl.slice.bytes}
     */
    static RankThreads start(int worldSize, String transport, Map<String, String> options) {
        if (worldSize < 1) {
            throw new IllegalArgumentException("worldSize must be >= 1, got " + worldSize);
        }
        int group = GROUPS.incrementAndGet();
        InMemoryStore store = new InMemoryStore();
        ExecutorService pool = Executors.newFixedThreadPool(worldSize, r -> {
            Thread t = new Thread(r, "jccl-jmh-build-" + group);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Communicator>> futures = new ArrayList<>();
            for (int r = 0; r < worldSize; r++) {
                int rank = r;
                futures.add(pool.submit(() -> {
                    CommunicatorBuilder b = Communicator.builder().rank(rank).worldSize(worldSize)
                            .transport(transport).timeout(CALL_TIMEOUT)
                            .option("jccl.bootstrap.timeout.ms", Long.toString(CALL_TIMEOUT.toMillis()))
                            .store(store, "jmh" + group);
                    options.forEach(b::option);
                    return b.build();
                }));
            }
            List<Communicator> built = new ArrayList<>();
            RuntimeException failure = null;
            for (int r = 0; r < worldSize; r++) {
                try {
                    built.add(futures.get(r).get(CALL_TIMEOUT.toMillis() + JOIN_TIMEOUT_MS, TimeUnit.MILLISECONDS));
                } catch (ExecutionException e) {
                    failure = first(failure, "rank " + r + " failed to build its communicator", e.getCause());
                } catch (TimeoutException e) {
                    failure = first(failure, "rank " + r + " did not finish the rendezvous", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = first(failure, "interrupted while building rank " + r, e);
                }
            }
            if (failure != null) {
                built.forEach(Communicator::close);
                throw failure;
            }
            return new RankThreads(built);
        } finally {
            // The pool's threads only built; a hung build is left to its own bootstrap timeout.
            pool.shutdownNow();
            store.close();
        }
    }

    private static RuntimeException first(RuntimeException earlier, String message, Throwable cause) {
        return earlier != null ? earlier : new IllegalStateException(message + ": " + cause, cause);
    }

    int worldSize() {
        return comms.size();
    }

    Communicator comm(int rank) {
        return comms.get(rank);
    }

    /** Starts ranks {@code 1..n-1}, each repeating {@code calls.apply(rank)} until {@link #close()}. */
    void startPeers(IntFunction<RankCall> calls) {
        if (!peers.isEmpty()) {
            throw new IllegalStateException("peers already started");
        }
        for (int r = 1; r < comms.size(); r++) {
            RankCall call = calls.apply(r);
            int rank = r;
            Thread t = new Thread(() -> repeat(rank, call), THREAD_PREFIX + rank);
            t.setDaemon(true);
            peers.add(t);
        }
        peers.forEach(Thread::start);
    }

    private void repeat(int rank, RankCall call) {
        try {
            while (!stopping) {
                call.call();
            }
        } catch (Throwable t) {
            // After stop the failure is the closed communicator, which is how a peer leaves its last call.
            if (!stopping) {
                peerFailure.compareAndSet(null, new IllegalStateException("rank " + rank + " failed: " + t, t));
            }
        }
    }

    /** The first failure of a peer before {@link #close()}, or {@code null}. */
    Throwable peerFailure() {
        return peerFailure.get();
    }

    /** Closes after {@code failure} in setup; returns it, with any failure of closing attached. */
    RuntimeException closeAfter(RuntimeException failure) {
        try {
            close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    /**
     * Stops the peers and closes every communicator. Throws when a peer failed while running (so a
     * benchmark does not report figures of a broken run) or when a peer thread does not end in time.
     */
    @Override
    public void close() {
        stopping = true;
        for (Communicator c : comms) {
            c.close();
        }
        List<String> stuck = new ArrayList<>();
        for (Thread t : peers) {
            try {
                t.join(JOIN_TIMEOUT_MS);
                if (t.isAlive()) {
                    t.interrupt();
                    t.join(JOIN_TIMEOUT_MS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                stuck.add(t.getName());
            }
        }
        Throwable failure = peerFailure.get();
        if (failure != null) {
            throw new IllegalStateException("a peer rank failed during the benchmark", failure);
        }
        if (!stuck.isEmpty()) {
            throw new IllegalStateException("peer threads did not stop within " + 2 * JOIN_TIMEOUT_MS + " ms: " + stuck);
        }
    }
}
