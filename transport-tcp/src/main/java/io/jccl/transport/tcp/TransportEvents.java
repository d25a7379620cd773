package io.jccl.transport.tcp;

import io.jccl.PeerFailureException;
import io.jccl.spi.TransportContext;
import io.jccl.spi.TransportHandler;

import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The hand-over from Netty's I/O threads to the engine thread: a queue of
 * {@link TcpInboundFragment}s, {@link SendCompletion}s and failures, drained by
 * {@link io.jccl.spi.Transport#poll}. Producers call {@link #wake()} after queuing so that a
 * sleeping engine notices. Each peer's failure is reported once; nothing is reported once
 * {@link #closing} is set.
 */
final class TransportEvents {
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final Set<Integer> failedPeers = ConcurrentHashMap.newKeySet();
    private final TransportContext context;
    volatile boolean closing;

    TransportEvents(TransportContext context) {
        this.context = context;
    }

    TransportContext context() {
        return context;
    }

    /** Queues without waking; the producer wakes once per batch. */
    void add(Object event) {
        queue.add(event);
    }

    void wake() {
        context.wakeup();
    }

    boolean hasFailed(int peerRank) {
        return failedPeers.contains(peerRank);
    }

    /** Reports the first failure of {@code peerRank} ({@code -1}: not attributable to a rank). */
    void fail(int peerRank, String message, Throwable cause) {
        if (closing || !failedPeers.add(peerRank)) {
            return;
        }
        queue.add(new Failure(peerRank, new PeerFailureException(peerRank, message, cause)));
        wake();
    }

    int drain(TransportHandler handler, int maxEvents) {
        int work = 0;
        Object event;
        while (work < maxEvents && (event = queue.poll()) != null) {
            work++;
            if (event instanceof TcpInboundFragment) {
                TcpInboundFragment fragment = (TcpInboundFragment) event;
                try {
                    handler.onFragment(fragment);
                } finally {
                    fragment.releaseQueueReference();
                }
            } else if (event instanceof SendCompletion) {
                handler.onSendComplete(((SendCompletion) event).token);
            } else {
                Failure failure = (Failure) event;
                handler.onFailure(failure.peerRank, failure.cause);
            }
        }
        return work;
    }

    /** Drops everything queued, releasing the read buffers fragments hold. */
    void discardAll() {
        Object event;
        while ((event = queue.poll()) != null) {
            if (event instanceof TcpInboundFragment) {
                ((TcpInboundFragment) event).releaseQueueReference();
            }
        }
    }

    private static final class Failure {
        final int peerRank;
        final Throwable cause;

        Failure(int peerRank, Throwable cause) {
            this.peerRank = peerRank;
            this.cause = cause;
        }
    }
}
