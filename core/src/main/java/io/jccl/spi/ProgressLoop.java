package io.jccl.spi;

import java.util.concurrent.Executor;

/**
 * The one thread a transport delivers its events on, and on which the engine runs. For a transport
 * with I/O threads of its own (TCP) this is one of them, so inbound data is matched, reduced and
 * answered where it was read, without a hand-over to another thread; a transport without threads
 * uses a {@link DedicatedProgressLoop}.
 *
 * <p>Threading: {@link #execute} and {@link #inLoop} from any thread.
 */
public interface ProgressLoop extends Executor {

    /** Whether the calling thread is this loop's thread. */
    boolean inLoop();

    /**
     * Runs {@code task} on the loop thread after what is already queued; never runs it inline and
     * never blocks. Tasks submitted after the loop has shut down are dropped silently: the
     * transport's close has already failed everything that was waiting.
     */
    @Override
    void execute(Runnable task);

    /**
     * Runs {@code task} on the loop thread about every {@code periodNs} until the loop shuts down
     * (the engine checks deadlines with it). Precision is a few milliseconds at best.
     */
    void every(long periodNs, Runnable task);

    /**
     * Asks the loop to poll for events rather than sleep until {@code deadlineNs} ({@link System#nanoTime()}
     * clock), yielding the core between polls: the engine expects data soon, and a wake-up from sleep
     * costs more than the answer takes. A later call replaces the deadline. Loop thread only; loops
     * that cannot poll ignore it.
     */
    default void pollUntil(long deadlineNs) {
    }
}
