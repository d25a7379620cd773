package io.jccl.spi;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DedicatedProgressLoopTest {
    private static final long WAIT_S = 10;

    private final List<DedicatedProgressLoop> loops = new ArrayList<>();

    @AfterEach
    void shutdownLoops() {
        loops.forEach(loop -> loop.shutdown(1_000));
    }

    private DedicatedProgressLoop newLoop(String name) {
        DedicatedProgressLoop loop = new DedicatedProgressLoop(name);
        loops.add(loop);
        return loop;
    }

    /** The loop's thread, found by running a task on it. */
    private static Thread threadOf(ProgressLoop loop) throws Exception {
        CompletableFuture<Thread> thread = new CompletableFuture<>();
        loop.execute(() -> thread.complete(Thread.currentThread()));
        return thread.get(WAIT_S, TimeUnit.SECONDS);
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(WAIT_S, TimeUnit.SECONDS), () -> "timed out waiting for " + what);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldRunTasksInSubmissionOrderOnOneThreadWhenSeveralThreadsSubmit() throws Exception {
        DedicatedProgressLoop loop = newLoop("loop-order");
        int submitters = 4;
        int tasksEach = 5_000;
        List<List<Integer>> seen = new ArrayList<>();
        for (int s = 0; s < submitters; s++) {
            seen.add(new ArrayList<>()); // touched by the loop thread only until the final latch
        }
        AtomicInteger notInLoop = new AtomicInteger();
        AtomicReference<Thread> runner = new AtomicReference<>();
        AtomicInteger otherThreads = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(submitters);
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < submitters; s++) {
            int submitter = s;
            threads.add(new Thread(() -> {
                for (int i = 0; i < tasksEach; i++) {
                    int index = i;
                    loop.execute(() -> {
                        if (!loop.inLoop()) {
                            notInLoop.incrementAndGet();
                        }
                        if (!runner.compareAndSet(null, Thread.currentThread()) && runner.get() != Thread.currentThread()) {
                            otherThreads.incrementAndGet();
                        }
                        seen.get(submitter).add(index);
                    });
                }
                loop.execute(done::countDown);
            }, "submitter-" + s));
        }
        threads.forEach(Thread::start);
        await(done, "every submitter's tasks to run");
        assertFalse(loop.inLoop(), "inLoop() is true on the test thread");
        assertEquals(0, notInLoop.get(), "tasks for which inLoop() was false");
        assertEquals(0, otherThreads.get(), "tasks that ran on another thread than the first");
        for (int s = 0; s < submitters; s++) {
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < tasksEach; i++) {
                expected.add(i);
            }
            assertEquals(expected, seen.get(s), "order of submitter " + s + "'s tasks");
        }
        assertTrue(runner.get().isDaemon(), "the loop thread must not keep the JVM alive");
        assertEquals("loop-order", runner.get().getName());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldQueueTaskBehindCurrentOneWhenExecuteIsCalledFromLoop() throws Exception {
        DedicatedProgressLoop loop = newLoop("loop-inline");
        AtomicBoolean outerFinished = new AtomicBoolean();
        CompletableFuture<Boolean> innerSawOuterFinished = new CompletableFuture<>();
        loop.execute(() -> {
            loop.execute(() -> innerSawOuterFinished.complete(outerFinished.get()));
            outerFinished.set(true);
        });
        assertTrue(innerSawOuterFinished.get(WAIT_S, TimeUnit.SECONDS), "execute() ran the task inline");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldRunPeriodicTaskRepeatedlyOnLoopWhenEveryIsRegistered() throws Exception {
        DedicatedProgressLoop loop = newLoop("loop-every");
        long periodNs = TimeUnit.MILLISECONDS.toNanos(20);
        int runs = 6;
        List<Long> timesNs = new ArrayList<>(); // loop thread only until the latch opens
        AtomicInteger notInLoop = new AtomicInteger();
        CountDownLatch enough = new CountDownLatch(runs);
        long registeredNs = System.nanoTime();
        loop.every(periodNs, () -> {
            if (!loop.inLoop()) {
                notInLoop.incrementAndGet();
            }
            if (enough.getCount() > 0) {
                timesNs.add(System.nanoTime());
                enough.countDown();
            }
        });
        // Unrelated tasks in between must neither starve nor speed up the periodic one.
        for (int i = 0; i < 100; i++) {
            loop.execute(() -> { });
        }
        await(enough, runs + " runs of a periodic task");
        assertEquals(0, notInLoop.get(), "periodic runs off the loop thread");
        // Read the times on the loop, which wrote them; runs after the latch opened add nothing.
        List<Long> snapshot = new CompletableFuture<List<Long>>().completeAsync(() -> new ArrayList<>(timesNs), loop)
                .get(WAIT_S, TimeUnit.SECONDS);
        assertTrue(snapshot.get(0) - registeredNs >= periodNs / 2,
                () -> "first run after " + (snapshot.get(0) - registeredNs) + " ns, not about one period");
        for (int i = 1; i < runs; i++) {
            long gapNs = snapshot.get(i) - snapshot.get(i - 1);
            // The contract is 'about every period, a few ms precision'; half a period catches a task run every pass.
            assertTrue(gapNs >= periodNs / 2, "gap of " + gapNs + " ns between runs " + (i - 1) + " and " + i);
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldDropQueuedTasksAndStopThreadWhenShutDown() throws Exception {
        DedicatedProgressLoop loop = newLoop("loop-shutdown");
        Thread thread = threadOf(loop);
        CountDownLatch blocking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger periodicRuns = new AtomicInteger();
        loop.every(TimeUnit.MILLISECONDS.toNanos(1), periodicRuns::incrementAndGet);
        loop.execute(() -> {
            blocking.countDown();
            try {
                release.await(WAIT_S, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        await(blocking, "the blocking task to start");
        loop.execute(ran::incrementAndGet); // queued behind the blocking task
        loop.shutdown(20); // the blocking task outlives the join: shutdown must still drop the queue
        loop.execute(ran::incrementAndGet); // after shutdown: dropped
        int periodicAtShutdown = periodicRuns.get();
        release.countDown();
        thread.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        assertFalse(thread.isAlive(), "the loop thread still runs after shutdown");
        assertEquals(0, ran.get(), "tasks queued before or submitted after shutdown ran");
        assertEquals(periodicAtShutdown, periodicRuns.get(), "a periodic task ran after shutdown");
        assertTrue(loop.toString().contains("shut down"), loop::toString);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldStopPromptlyWhenShutDownFromItsOwnThread() throws Exception {
        DedicatedProgressLoop loop = newLoop("loop-self-shutdown");
        Thread thread = threadOf(loop);
        CompletableFuture<Long> shutdownNs = new CompletableFuture<>();
        loop.execute(() -> {
            long startNs = System.nanoTime();
            loop.shutdown(TimeUnit.SECONDS.toMillis(WAIT_S)); // must not wait for itself
            shutdownNs.complete(System.nanoTime() - startNs);
        });
        long tookNs = shutdownNs.get(WAIT_S, TimeUnit.SECONDS);
        assertTrue(tookNs < TimeUnit.SECONDS.toNanos(2), "shutdown from the loop thread took " + tookNs + " ns");
        thread.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        assertFalse(thread.isAlive(), "the loop thread still runs after shutdown");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldReportFailureAndGoOnWhenTaskThrows() throws Exception {
        DedicatedProgressLoop loop = newLoop("loop-throwing");
        Thread thread = threadOf(loop);
        List<Throwable> reported = new ArrayList<>();
        CountDownLatch twoReported = new CountDownLatch(2);
        thread.setUncaughtExceptionHandler((t, e) -> {
            synchronized (reported) {
                reported.add(e);
            }
            twoReported.countDown();
        });
        IllegalStateException taskFailure = new IllegalStateException("task failure");
        AssertionError periodicFailure = new AssertionError("periodic failure");
        AtomicInteger periodicRuns = new AtomicInteger();
        loop.every(TimeUnit.MILLISECONDS.toNanos(2), () -> {
            if (periodicRuns.incrementAndGet() == 1) {
                throw periodicFailure;
            }
        });
        loop.execute(() -> {
            throw taskFailure;
        });
        CompletableFuture<Boolean> after = new CompletableFuture<>();
        loop.execute(() -> after.complete(loop.inLoop()));
        assertTrue(after.get(WAIT_S, TimeUnit.SECONDS), "a task after the throwing one did not run on the loop");
        await(twoReported, "both failures to reach the uncaught-exception handler");
        synchronized (reported) {
            assertTrue(reported.stream().anyMatch(e -> e == taskFailure), () -> "reported: " + reported);
            assertTrue(reported.stream().anyMatch(e -> e == periodicFailure), () -> "reported: " + reported);
        }
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (periodicRuns.get() < 3 && System.nanoTime() < deadlineNs) {
            Thread.sleep(5);
        }
        assertTrue(periodicRuns.get() >= 3, "a periodic task that threw once was not run again");
        assertTrue(thread.isAlive());
        assertSame(thread, threadOf(loop), "the loop replaced its thread");
        assertNotNull(thread.getUncaughtExceptionHandler());
    }
}
