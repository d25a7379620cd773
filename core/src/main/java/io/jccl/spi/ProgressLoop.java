package io.jccl.spi;

import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * The one thread a transport delivers its events on, and on which the engine runs. For a transport
 * with I/O threads of its own (TCP) this is one of them, so inbound data is matched, reduced and
 * answered where it was read, without a hand-over to another thread; a transport without threads
 * uses a {@link DedicatedProgressLoop}.
 *
 * <p>Some loops can also be driven by the caller of a blocking collective: it {@link #tryEnter enters}
 * the loop, becomes its thread for a while ({@link #inLoop} is true there), runs it until its call has
 * ended ({@link #driveUntil}) and {@link #leave leaves}; meanwhile the loop's own thread stands aside.
 * The call's data is then sent, received and reduced on the caller's thread, with no wake-up of
 * another thread on the way in or out. Loops that cannot be driven refuse to be entered, and the
 * caller waits as usual.
 *
 * <p>Threading: {@link #execute}, {@link #inLoop} and {@link #tryEnter} from any thread.
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

    /**
     * Makes the calling thread this loop's thread if the loop can be driven by callers and nobody
     * else drives it now; false otherwise (then the caller must not call {@link #driveUntil}). A true
     * return must be followed by {@link #leave()} in a {@code finally}.
     */
    default boolean tryEnter() {
        return false;
    }

    /**
     * Runs the loop on the calling thread, which has {@link #tryEnter entered} it, until {@code done}
     * is true, {@code deadlineNs} ({@link System#nanoTime()} clock) has passed or the loop shuts down.
     */
    default void driveUntil(BooleanSupplier done, long deadlineNs) {
        throw new IllegalStateException(this + " cannot be driven by callers");
    }

    /** Gives back a loop the calling thread {@link #tryEnter entered}; its own thread goes on from here. */
    default void leave() {
    }

    /**
     * Says whether work is in flight that must progress while no caller drives the loop
     * (asynchronous calls, or a blocking call whose caller waits for the loop's own thread). Loops
     * that callers drive keep their own thread running only while this is true, so an idle
     * communicator costs no wake-ups. Loop thread only; loops that are not driven ignore it.
     */
    default void keepRunning(boolean inFlight) {
    }
}
