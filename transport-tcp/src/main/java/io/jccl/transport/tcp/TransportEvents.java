package io.jccl.transport.tcp;

import io.jccl.PeerFailureException;
import io.jccl.spi.Placement;
import io.jccl.spi.TransportContext;
import io.jccl.spi.TransportHandler;
import io.netty.channel.EventLoop;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

/**
 * The way from Netty's handlers to the engine. The engine runs on {@link #engineLoop}, the event
 * loop that also serves every socket when {@code jccl.tcp.io.threads} is 1 (the default): then
 * fragments and completions are handed to the engine directly, on the thread that read or wrote
 * them. Events raised on another event loop are retained and passed over as a task. Failures and
 * writability always go through a task, so they never re-enter the engine from inside a write.
 * Each peer's failure is reported once; nothing is reported once {@link #closing} is set.
 */
final class TransportEvents {
    private final Set<Integer> failedPeers = ConcurrentHashMap.newKeySet();
    /** Whether {@link #failedPeers} has ever had a member: spares the set lookup on every send. */
    private volatile boolean anyFailed;
    private final TransportContext context;
    private final TransportHandler handler;
    private final EventLoop engineLoop;
    volatile boolean closing;

    TransportEvents(TransportContext context, TransportHandler handler, EventLoop engineLoop) {
        this.context = context;
        this.handler = handler;
        this.engineLoop = engineLoop;
    }

    TransportContext context() {
        return context;
    }

    EventLoop engineLoop() {
        return engineLoop;
    }

    /** A fragment valid only during this call (the decoder reuses it). */
    void fragment(TcpInboundFragment fragment) {
        if (closing) {
            return;
        }
        if (engineLoop.inEventLoop()) {
            handler.onFragment(fragment);
        } else {
            RetainedTcpFragment retained = fragment.retain();
            if (!run(() -> {
                try {
                    if (!closing) {
                        handler.onFragment(retained);
                    }
                } finally {
                    retained.release();
                }
            })) {
                retained.release();
            }
        }
    }

    /** See {@link TransportHandler#place}; only on the engine loop, where reads and engine cannot interleave. */
    boolean place(int peerRank, long tag, long descriptor, int messageBytes, int offsetBytes, Placement out) {
        return !closing && engineLoop.inEventLoop()
                && handler.place(peerRank, tag, descriptor, messageBytes, offsetBytes, out);
    }

    void sendComplete(long token) {
        if (closing) {
            return;
        }
        if (engineLoop.inEventLoop()) {
            handler.onSendComplete(token);
        } else {
            run(() -> {
                if (!closing) {
                    handler.onSendComplete(token);
                }
            });
        }
    }

    void writable(int peerRank) {
        run(() -> {
            if (!closing) {
                handler.onWritable(peerRank);
            }
        });
    }

    boolean hasFailed(int peerRank) {
        return anyFailed && failedPeers.contains(peerRank);
    }

    /** Reports the first failure of {@code peerRank} ({@code -1}: not attributable to a rank). */
    void fail(int peerRank, String message, Throwable cause) {
        if (closing || !failedPeers.add(peerRank)) {
            return;
        }
        anyFailed = true;
        PeerFailureException failure = new PeerFailureException(peerRank, message, cause);
        run(() -> {
            if (!closing) {
                handler.onFailure(peerRank, failure);
            }
        });
    }

    /** Runs {@code task} on the engine loop later; false when the loop has shut down. */
    private boolean run(Runnable task) {
        try {
            engineLoop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false; // shutting down: the engine has failed or finished everything already
        }
    }
}
