package io.jccl.transport.tcp;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;

/**
 * How the communicator's event loops wait for I/O: until {@link #pollUntil} they poll the sockets
 * without blocking and yield the core between polls (an answer is expected within microseconds,
 * and waking a thread that sleeps in {@code epoll_wait} costs more than that); afterwards they
 * block as usual, so an idle communicator uses no CPU. One instance serves every loop of one
 * transport's group.
 */
final class PollingSelectStrategy implements SelectStrategy, SelectStrategyFactory {
    private volatile long pollUntilNs = System.nanoTime();

    /** Polls instead of blocking until {@code deadlineNs} ({@link System#nanoTime()} clock). */
    void pollUntil(long deadlineNs) {
        pollUntilNs = deadlineNs;
    }

    @Override
    public int calculateStrategy(IntSupplier selectSupplier, boolean hasTasks) throws Exception {
        if (hasTasks) {
            return selectSupplier.get();
        }
        if (System.nanoTime() - pollUntilNs < 0) {
            int ready = selectSupplier.get();
            if (ready > 0) {
                return ready;
            }
            Thread.yield();
            return SelectStrategy.CONTINUE;
        }
        return SelectStrategy.SELECT;
    }

    @Override
    public SelectStrategy newSelectStrategy() {
        return this;
    }
}
