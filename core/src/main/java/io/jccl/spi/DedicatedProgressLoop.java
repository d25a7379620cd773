package io.jccl.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link ProgressLoop} run by one daemon thread of its own, for transports that have no I/O
 * thread to offer (the in-JVM loopback). The thread sleeps while there is nothing to run; periodic
 * tasks wake it when due. {@link #shutdown(long)} stops it and drops what is still queued. A task
 * that throws is reported to the thread's uncaught-exception handler and the loop goes on.
 */
public final class DedicatedProgressLoop implements ProgressLoop {
    private static final long MAX_PARK_NS = TimeUnit.SECONDS.toNanos(1);

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<Periodic> periodic = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    /** Loop thread only: until when to poll instead of park. */
    private long pollUntilNs;

    /** Starts the loop's thread, named {@code name}. */
    public DedicatedProgressLoop(String name) {
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void execute(Runnable task) {
        if (running) {
            tasks.add(task);
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void every(long periodNs, Runnable task) {
        Periodic p = new Periodic(Math.max(1, periodNs), task);
        execute(() -> periodic.add(p));
    }

    @Override
    public void pollUntil(long deadlineNs) {
        pollUntilNs = deadlineNs;
    }

    /** Stops the thread (waiting up to {@code timeoutMs} unless called from it); queued tasks are dropped. */
    public void shutdown(long timeoutMs) {
        running = false;
        LockSupport.unpark(thread);
        if (!inLoop()) {
            try {
                thread.join(timeoutMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        tasks.clear();
    }

    private void run() {
        while (running) {
            Runnable task = tasks.poll();
            if (task != null) {
                runGuarded(task);
                continue;
            }
            long now = System.nanoTime();
            long sleepNs = MAX_PARK_NS;
            for (int i = 0; i < periodic.size(); i++) {
                Periodic p = periodic.get(i);
                if (now - p.dueNs >= 0) {
                    p.dueNs = now + p.periodNs;
                    runGuarded(p.task);
                }
                sleepNs = Math.min(sleepNs, p.dueNs - now);
            }
            if (now - pollUntilNs < 0) {
                Thread.yield();
            } else if (tasks.isEmpty() && running && sleepNs > 0) {
                LockSupport.parkNanos(this, sleepNs);
            }
        }
    }

    private void runGuarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
        }
    }

    @Override
    public String toString() {
        return "DedicatedProgressLoop[" + thread.getName() + (running ? "]" : ", shut down]");
    }

    private static final class Periodic {
        final long periodNs;
        final Runnable task;
        long dueNs;

        Periodic(long periodNs, Runnable task) {
            this.periodNs = periodNs;
            this.task = task;
            this.dueNs = System.nanoTime() + periodNs;
        }
    }
}
