package io.jccl.transport.tcp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.ThreadExecutorMap;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A Netty event loop that is driven by whichever thread holds it: the thread of a blocking
 * collective call while it waits, or else a background thread of its own. A training loop's
 * blocking {@code allReduce} thus sends, receives and reduces on its own thread, with no wake-up of
 * another thread on the way in or out; with one rank per core or more that is most of the latency
 * of a small collective.
 *
 * <p>Exactly one thread at a time is the loop's thread ({@link #inEventLoop}): it
 * {@link #tryEnter() enters}, runs I/O, tasks and timers through the same Netty {@link IoHandler}
 * the classic loops use, and {@link #leave() leaves}. The hand-over goes through one atomic owner
 * field, which orders everything one holder did before everything the next does. Netty's epoll and
 * NIO handlers allow their thread to change ({@link IoHandlerFactory#isChangingThreadSupported()}).
 *
 * <p>The background thread runs the loop while there is work nobody else drives: tasks from other
 * threads, timers, and, while {@link #keepRunning} says so, the operations in flight (asynchronous
 * calls). Otherwise it sleeps until the next timer, and each timer (the engine's tick) also takes
 * what the sockets have ready, so an idle communicator still reads early data and notices closed
 * peers, just not at once. Shutdown runs on the background thread.
 *
 * <p>Needs Netty 4.2 ({@code IoHandler}); only {@link DrivenProgressLoop} refers to it.
 */
final class DrivenEventLoop extends AbstractScheduledEventExecutor implements IoEventLoop {
    private static final int RUNNING = 0;
    private static final int SHUTTING_DOWN = 1;
    private static final int TERMINATED = 2;
    /** Longest sleep of the background thread without a timer (timers and tasks wake it earlier). */
    private static final long IDLE_PARK_NS = TimeUnit.SECONDS.toNanos(1);
    /** How long a caller waits for a short background pass to end before it gives up entering. */
    private static final long ENTER_SPIN_NS = TimeUnit.MICROSECONDS.toNanos(200);

    private final IoHandler handler;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Thread> owner = new AtomicReference<>();
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final Promise<Void> termination = new DefaultPromise<>(GlobalEventExecutor.INSTANCE);
    private final Thread background;
    private final Context context = new Context();
    /** Operations are in flight: the background thread keeps the loop running while nobody else does. */
    private volatile boolean keepRunning;
    /** The background thread holds the loop for a short pass, so a caller may wait for it rather than give up. */
    private volatile boolean shortPass;
    /** When the earliest timer is due (System.nanoTime), as last seen by a holder; the background wakes then. */
    private volatile long nextTimerNs;
    /** Until when (System.nanoTime) the holder polls the sockets rather than block on them. */
    private volatile long pollUntilNs = System.nanoTime();
    /** A timer was scheduled since the holder last computed {@link #nextTimerNs}. */
    private volatile boolean timersChanged;
    /** Holder only. */
    private boolean initialized;

    /** Creates the loop and starts its background thread, named {@code threadName} (a daemon). */
    DrivenEventLoop(IoHandlerFactory factory, String threadName) {
        if (!factory.isChangingThreadSupported()) {
            throw new IllegalArgumentException(factory + " does not allow its I/O thread to change");
        }
        this.handler = factory.newHandler(this);
        this.nextTimerNs = System.nanoTime() + IDLE_PARK_NS;
        // A Netty thread type, so Netty's per-thread recyclers pool what the loop's own thread allocates.
        this.background = new FastThreadLocalThread(this::runBackground, threadName);
        background.setDaemon(true);
        background.start();
    }

    // ---------------------------------------------------------------- driving (callers)

    /**
     * Makes the calling thread the loop's thread, if nobody else holds the loop (a short pass of the
     * background thread is waited for); returns false at once when the loop is held for longer or
     * is shutting down. A true return must be followed by {@link #leave()}.
     */
    boolean tryEnter() {
        Thread me = Thread.currentThread();
        if (owner.compareAndSet(null, me)) {
            if (state.get() == RUNNING) {
                return true;
            }
            leave();
            return false;
        }
        long startNs = System.nanoTime();
        while (shortPass && state.get() == RUNNING && System.nanoTime() - startNs < ENTER_SPIN_NS) {
            Thread.yield();
            if (owner.compareAndSet(null, me)) {
                return true;
            }
        }
        return false;
    }

    /** Gives the loop up; the background thread takes over if work is left. Holder only. */
    void leave() {
        checkHolder();
        owner.set(null);
        if (keepRunning || !tasks.isEmpty() || state.get() != RUNNING) {
            LockSupport.unpark(background);
        }
    }

    /**
     * Runs the loop on the calling thread, which holds it, until {@code done} says so, {@code deadlineNs}
     * ({@link System#nanoTime()}) has passed, the thread is interrupted or the loop shuts down. Polls the
     * sockets, yielding the core between polls, until {@link #pollUntil}'s deadline; blocks on them
     * afterwards.
     */
    void driveUntil(BooleanSupplier done, long deadlineNs) {
        checkHolder();
        Thread me = Thread.currentThread();
        long now;
        while (!done.getAsBoolean() && state.get() == RUNNING && !me.isInterrupted()
                && (now = System.nanoTime()) - deadlineNs < 0) {
            waitRound(deadlineNs, now);
        }
    }

    /**
     * One round of a holder waiting for its work: until {@link #pollUntil}'s deadline it polls the
     * sockets and yields the core when nothing came; afterwards it blocks on them, at most until
     * {@code untilNs}. {@code now} is the caller's {@link System#nanoTime()}.
     */
    private void waitRound(long untilNs, long now) {
        boolean poll = now - pollUntilNs < 0;
        if (runOnce(!poll, untilNs, now) == 0 && poll) {
            Thread.yield();
        }
    }

    /** See {@link io.jccl.spi.ProgressLoop#pollUntil}. */
    void pollUntil(long deadlineNs) {
        pollUntilNs = deadlineNs;
    }

    /** Whether operations are in flight that need the loop run even when no caller drives it. Holder only. */
    void keepRunning(boolean inFlight) {
        keepRunning = inFlight;
    }

    /**
     * One round: due timers and queued tasks, then the sockets (blocking until the next timer or
     * {@code untilNs} when {@code mayBlock} and nothing is queued), then what that queued. Returns the
     * number of tasks run and sockets served. {@code now} ({@link System#nanoTime()}, taken by the
     * caller) stands for the whole round: a timer that falls due during the round runs in the next.
     * Holder only.
     */
    private int runOnce(boolean mayBlock, long untilNs, long now) {
        EventExecutor previous = hold();
        try {
            int ran = runTasks(now);
            context.canBlock = mayBlock && ran == 0; // and nothing queued when the handler asks
            context.untilNs = untilNs;
            int served = handler.run(context);
            ran += runTasks(now);
            // The next timer changes only when a task or timer ran (either may add timers) or one was
            // scheduled (schedule methods below); otherwise the last value stands, saving a clock read
            // and a volatile write per round.
            if (ran > 0 || timersChanged || now - nextTimerNs >= 0) {
                timersChanged = false;
                long next = nextScheduledTaskDeadlineNanos();
                long idle = System.nanoTime() + IDLE_PARK_NS;
                nextTimerNs = next == -1 ? idle : Math.min(next + ticker().initialNanoTime(), idle);
            }
            return ran + served;
        } finally {
            ThreadExecutorMap.setCurrentExecutor(previous);
        }
    }

    private int runTasks(long now) {
        int ran = 0;
        Runnable task;
        // The timer queue is looked at only once its earliest deadline (as last computed) has come.
        if (now - nextTimerNs >= 0) {
            long tickerNow = getCurrentTimeNanos();
            while ((task = pollScheduledTask(tickerNow)) != null) {
                safeExecute(task);
                ran++;
            }
        }
        // Only what is queued now: a task that queues another must not keep the holder here forever.
        for (int left = tasks.size(); left > 0 && (task = tasks.poll()) != null; left--) {
            safeExecute(task);
            ran++;
        }
        return ran;
    }

    /**
     * Sets the handler up on first use and makes this loop the current thread's Netty executor; the
     * returned executor goes back with {@link ThreadExecutorMap#setCurrentExecutor} when done. Holder only.
     */
    private EventExecutor hold() {
        if (!initialized) {
            initialized = true;
            handler.initialize();
        }
        return ThreadExecutorMap.setCurrentExecutor(this);
    }

    private void checkHolder() {
        if (owner.get() != Thread.currentThread()) {
            throw new IllegalStateException("the calling thread does not hold " + this);
        }
    }

    // ---------------------------------------------------------------- background thread

    private void runBackground() {
        Thread me = Thread.currentThread();
        while (state.get() != TERMINATED) {
            boolean shuttingDown = state.get() == SHUTTING_DOWN;
            boolean inFlight = keepRunning;
            boolean due = shuttingDown || inFlight || !tasks.isEmpty() || System.nanoTime() - nextTimerNs >= 0;
            if (due && owner.compareAndSet(null, me)) {
                shortPass = !inFlight && !shuttingDown;
                try {
                    if (shuttingDown) {
                        shutDownHere();
                    } else if (inFlight) {
                        runWhileInFlight();
                    } else {
                        // A short pass: timers, tasks, and whatever the sockets have ready.
                        while (runOnce(false, 0, System.nanoTime()) > 0 && !keepRunning && state.get() == RUNNING) {
                            // more came in: another round, still without blocking
                        }
                    }
                } catch (Throwable t) {
                    me.getUncaughtExceptionHandler().uncaughtException(me, t);
                } finally {
                    shortPass = false;
                    owner.set(null);
                }
                continue;
            }
            // Nothing due, or a caller drives: sleep until the next timer; leave() and execute() wake us.
            long sleepNs = due ? IDLE_PARK_NS : nextTimerNs - System.nanoTime();
            if (sleepNs > 0) {
                LockSupport.parkNanos(this, Math.min(sleepNs, IDLE_PARK_NS));
            }
        }
    }

    private void runWhileInFlight() {
        while (keepRunning && state.get() == RUNNING) {
            long now = System.nanoTime();
            waitRound(now + IDLE_PARK_NS, now);
        }
        runOnce(false, 0, System.nanoTime()); // tasks queued on the way out
    }

    /** Runs what is queued, closes every registration, frees the handler, and terminates. */
    private void shutDownHere() {
        EventExecutor previous = hold();
        try {
            runTasks(System.nanoTime());
            cancelScheduledTasks();
            handler.prepareToDestroy();
            // Closing the channels queues their last tasks (close futures, inactive events).
            for (int round = 0; round < 16 && runTasks(System.nanoTime()) > 0; round++) {
                handler.prepareToDestroy();
            }
            handler.destroy();
            runTasks(System.nanoTime());
        } finally {
            ThreadExecutorMap.setCurrentExecutor(previous);
            state.set(TERMINATED);
            tasks.clear();
            termination.trySuccess(null);
        }
    }

    // ---------------------------------------------------------------- EventExecutor

    @Override
    public boolean inEventLoop(Thread thread) {
        return owner.get() == thread;
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (state.get() == TERMINATED) {
            throw new RejectedExecutionException(this + " is terminated");
        }
        tasks.add(task);
        if (!inEventLoop()) {
            handler.wakeup(); // a holder blocked on the sockets returns to run it
            LockSupport.unpark(background); // nobody may hold the loop
        }
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        timersChanged = true;
        return super.schedule(command, delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        timersChanged = true;
        return super.schedule(callable, delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        timersChanged = true;
        return super.scheduleAtFixedRate(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        timersChanged = true;
        return super.scheduleWithFixedDelay(command, initialDelay, delay, unit);
    }

    @Override
    public boolean isShuttingDown() {
        return state.get() != RUNNING;
    }

    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        if (state.compareAndSet(RUNNING, SHUTTING_DOWN)) {
            handler.wakeup();
            LockSupport.unpark(background);
        }
        return termination;
    }

    @Override
    public Future<?> terminationFuture() {
        return termination;
    }

    @Override
    @Deprecated
    public void shutdown() {
        shutdownGracefully(0, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean isShutdown() {
        return state.get() != RUNNING;
    }

    @Override
    public boolean isTerminated() {
        return state.get() == TERMINATED;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return termination.await(timeout, unit);
    }

    // ---------------------------------------------------------------- IoEventLoop

    @Override
    public DrivenEventLoop next() {
        return this;
    }

    @Override
    public IoEventLoopGroup parent() {
        return this;
    }

    @Override
    public Future<IoRegistration> register(IoHandle handle) {
        Promise<IoRegistration> promise = newPromise();
        if (inEventLoop()) {
            registerHere(handle, promise);
        } else {
            execute(() -> registerHere(handle, promise));
        }
        return promise;
    }

    private void registerHere(IoHandle handle, Promise<IoRegistration> promise) {
        try {
            promise.setSuccess(handler.register(handle));
        } catch (Exception e) {
            promise.setFailure(e);
        }
    }

    @Override
    @Deprecated
    public ChannelFuture register(Channel channel) {
        return register(new DefaultChannelPromise(channel, this));
    }

    @Override
    @Deprecated
    public ChannelFuture register(ChannelPromise promise) {
        promise.channel().unsafe().register(this, promise);
        return promise;
    }

    @Override
    @Deprecated
    public ChannelFuture register(Channel channel, ChannelPromise promise) {
        channel.unsafe().register(this, promise);
        return promise;
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return handler.isCompatible(handleType);
    }

    @Override
    public boolean isIoType(Class<? extends IoHandler> handlerType) {
        return handler.getClass().equals(handlerType);
    }

    @Override
    public String toString() {
        return "DrivenEventLoop[" + background.getName() + ", held by " + owner.get() + "]";
    }

    /** How long the handler may block: not while tasks wait, and not past the next timer or the holder's deadline. */
    private final class Context implements IoHandlerContext {
        boolean canBlock;
        long untilNs;

        @Override
        public boolean canBlock() {
            return canBlock && tasks.isEmpty();
        }

        @Override
        public long delayNanos(long currentTimeNanos) {
            long timer = DrivenEventLoop.this.delayNanos(currentTimeNanos, Long.MAX_VALUE);
            return Math.max(0, Math.min(timer, untilNs - currentTimeNanos));
        }

        @Override
        public long deadlineNanos() {
            long timer = nextScheduledTaskDeadlineNanos();
            long until = untilNs - ticker().initialNanoTime();
            return timer == -1 || until - timer < 0 ? until : timer;
        }
    }
}
