package io.jccl.transport.tcp;

import io.jccl.spi.ProgressLoop;
import io.netty.channel.EventLoop;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/** A Netty event loop as the engine's {@link ProgressLoop}. Thread-safe. */
final class NettyProgressLoop implements ProgressLoop {
    private final EventLoop eventLoop;
    private final PollingSelectStrategy polling;

    NettyProgressLoop(EventLoop eventLoop, PollingSelectStrategy polling) {
        this.eventLoop = eventLoop;
        this.polling = polling;
    }

    @Override
    public void pollUntil(long deadlineNs) {
        polling.pollUntil(deadlineNs);
    }

    @Override
    public boolean inLoop() {
        return eventLoop.inEventLoop();
    }

    @Override
    public void execute(Runnable task) {
        execute(eventLoop, task);
    }

    @Override
    public void every(long periodNs, Runnable task) {
        every(eventLoop, periodNs, task);
    }

    /** {@link ProgressLoop#execute} on a Netty loop: a task after shut-down is dropped. */
    static void execute(EventLoop eventLoop, Runnable task) {
        try {
            eventLoop.execute(task);
        } catch (RejectedExecutionException e) {
            // shut down: the transport's close already ended everything that waited
        }
    }

    /** {@link ProgressLoop#every} on a Netty loop: nothing is scheduled after shut-down. */
    static void every(EventLoop eventLoop, long periodNs, Runnable task) {
        try {
            eventLoop.scheduleWithFixedDelay(task, periodNs, periodNs, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // shut down: nothing left to watch
        }
    }

    @Override
    public String toString() {
        return "NettyProgressLoop[" + eventLoop + "]";
    }
}
