package io.jccl.testkit.transport;

import io.jccl.spi.TransportProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The endpoints of one test and the monitor the test thread waits on. Transports deliver events on
 * their own loops; every {@link RecordingHandler} (and every send a {@link TransportNode} makes
 * progress on) signals this driver, and {@link #awaitUntil} re-checks its condition only then, never
 * polling a transport: a transport that forgets an event (say {@code onWritable}) makes the wait run
 * into its deadline and fail, naming what it waited for. Thread-safe.
 */
public final class TransportDriver implements AutoCloseable {
    /** The default bound for any single wait; generous because the test machine is shared and noisy. */
    public static final long DEFAULT_WAIT_MS = 20_000;

    private final Object monitor = new Object();
    private final List<TransportNode> nodes = new CopyOnWriteArrayList<>();
    private final long waitMs;
    private long signals;

    public TransportDriver() {
        this(DEFAULT_WAIT_MS);
    }

    /** @param waitMs bound of the waits this driver does on its own (a call on a node's loop) */
    public TransportDriver(long waitMs) {
        this.waitMs = waitMs;
    }

    long waitMs() {
        return waitMs;
    }

    /** Opens an endpoint with {@code provider}; {@link #close()} closes it. */
    public TransportNode open(TransportProvider provider, TestTransportContext context) {
        TransportNode node = new TransportNode(provider, context, this);
        nodes.add(node);
        return node;
    }

    /** The endpoints opened so far, in order. */
    public List<TransportNode> nodes() {
        return new ArrayList<>(nodes);
    }

    /** Wakes the waiting test thread to re-check its condition; any thread. */
    void signal() {
        synchronized (monitor) {
            signals++;
            monitor.notifyAll();
        }
    }

    /**
     * Waits until {@code done} holds, re-checking it after each event; fails after {@code timeoutMs}
     * with {@code what} and the state of every node's sends.
     */
    public void awaitUntil(BooleanSupplier done, long timeoutMs, Supplier<String> what) {
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (monitor) {
            // Checked under the monitor: an event recorded after the check signals only once we wait.
            while (!done.getAsBoolean()) {
                long remainingNs = deadlineNs - System.nanoTime();
                if (remainingNs <= 0) {
                    throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what.get()
                            + "; " + nodes.stream().map(TransportNode::describeSends).collect(Collectors.joining("; ")));
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(monitor, remainingNs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting for " + what.get(), e);
                }
            }
        }
    }

    /** Lets {@code durationMs} pass while the loops run on (to catch late duplicates); returns the signals seen. */
    public long pauseFor(long durationMs) {
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(durationMs);
        synchronized (monitor) {
            long before = signals;
            long remainingNs;
            while ((remainingNs = deadlineNs - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(monitor, remainingNs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return signals - before;
        }
    }

    /** Every node's contract violations, each prefixed with its rank. */
    public List<String> violations() {
        List<String> all = new ArrayList<>();
        for (TransportNode node : nodes) {
            node.handler.violations().forEach(v -> all.add("rank " + node.rank + ": " + v));
        }
        return all;
    }

    /** Closes every node (idempotent, as transports are). */
    @Override
    public void close() {
        nodes.forEach(TransportNode::close);
    }
}
