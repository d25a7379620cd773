package io.jccl.testkit;

import io.jccl.Communicator;
import io.jccl.bootstrap.InMemoryStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ranks as threads in one JVM: {@code worldSize} communicators over a real transport, met through
 * an in-memory store, and a thread per rank to run work on them. Every wait is bounded.
 */
public final class Cluster implements AutoCloseable {
    private static final AtomicInteger IDS = new AtomicInteger();
    private final List<Communicator> comms;
    private final ExecutorService pool;

    private Cluster(List<Communicator> comms, ExecutorService pool) {
        this.comms = comms;
        this.pool = pool;
    }

    /**
     * Builds the communicators concurrently.
     *
     * @param options extra options (property names), e.g. {@code jccl.timeout.ms}
     */
    public static Cluster start(int worldSize, String transport, Map<String, String> options, Duration timeout) {
        int id = IDS.incrementAndGet();
        ExecutorService pool = Executors.newFixedThreadPool(worldSize, r -> {
            Thread t = new Thread(r, "cluster" + id + "-rank");
            t.setDaemon(true);
            return t;
        });
        InMemoryStore store = new InMemoryStore();
        List<Future<Communicator>> futures = new ArrayList<>();
        for (int r = 0; r < worldSize; r++) {
            int rank = r;
            futures.add(pool.submit(() -> {
                var b = Communicator.builder().rank(rank).worldSize(worldSize).transport(transport)
                        .store(store, "cluster" + id);
                Map<String, String> all = new LinkedHashMap<>();
                all.put("jccl.bootstrap.timeout.ms", Long.toString(timeout.toMillis()));
                all.putAll(options);
                all.forEach(b::option);
                return b.build();
            }));
        }
        List<Communicator> comms = new ArrayList<>();
        Throwable failure = null;
        for (Future<Communicator> f : futures) {
            try {
                comms.add(f.get(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS));
            } catch (ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            } catch (TimeoutException | InterruptedException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            comms.forEach(Communicator::close);
            pool.shutdownNow();
            throw new AssertionError("cluster of " + worldSize + " over " + transport + " failed to start", failure);
        }
        return new Cluster(comms, pool);
    }

    public int worldSize() {
        return comms.size();
    }

    public Communicator comm(int rank) {
        return comms.get(rank);
    }

    /** Work one rank does. */
    @FunctionalInterface
    public interface RankTask<T> {
        T run(Communicator comm) throws Exception;
    }

    /**
     * Runs {@code task} on every rank at once and returns the per-rank results. The first failure
     * (or the timeout) is rethrown naming the rank.
     */
    public <T> List<T> run(Duration timeout, RankTask<T> task) {
        List<Future<T>> futures = new ArrayList<>();
        for (Communicator c : comms) {
            futures.add(pool.submit(() -> task.run(c)));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<T> results = new ArrayList<>();
        for (int r = 0; r < futures.size(); r++) {
            try {
                results.add(futures.get(r).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (ExecutionException e) {
                throw new AssertionError("rank " + r + " failed: " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                throw new AssertionError("rank " + r + " did not finish within " + timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        return results;
    }

    @Override
    public void close() {
        for (Communicator c : comms) {
            c.close();
        }
        pool.shutdownNow();
    }
}
