package io.jccl.testkit.transport;

import io.jccl.spi.Connection;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Drives transports the way the engine does: poll, and when idle park until a
 * {@link TestTransportContext#wakeup()} or the deadline. There is no periodic re-poll, so a
 * transport that queues an event without waking the engine makes the wait time out.
 */
public final class TransportDriver {
    private TransportDriver() {
    }

    /** Polls {@code nodes} from the calling thread until {@code done}; fails after {@code timeoutMs}. */
    public static void pollUntil(Collection<TransportNode> nodes, BooleanSupplier done, long timeoutMs,
                                 Supplier<String> what) {
        for (TransportNode node : nodes) {
            node.context.driveFrom(Thread.currentThread());
        }
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!done.getAsBoolean()) {
            int work = 0;
            for (TransportNode node : nodes) {
                work += node.poll();
            }
            if (work == 0 && !done.getAsBoolean()) {
                long remainingNs = deadlineNs - System.nanoTime();
                if (remainingNs <= 0) {
                    throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what.get());
                }
                LockSupport.parkNanos(remainingNs);
            }
        }
    }

    /** Polls {@code nodes} for {@code durationMs} (to catch late duplicates); returns the work seen. */
    public static int pollFor(Collection<TransportNode> nodes, long durationMs) {
        for (TransportNode node : nodes) {
            node.context.driveFrom(Thread.currentThread());
        }
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(durationMs);
        int total = 0;
        long remainingNs;
        while ((remainingNs = deadlineNs - System.nanoTime()) > 0) {
            int work = 0;
            for (TransportNode node : nodes) {
                work += node.poll();
            }
            total += work;
            if (work == 0) {
                LockSupport.parkNanos(remainingNs);
            }
        }
        return total;
    }

    /**
     * Posts a send, polling {@code nodes} while it is back-pressured. Gives up (returns false) once
     * {@code sender} has recorded a failure of the peer, since a failed peer may refuse forever.
     */
    public static boolean send(List<TransportNode> nodes, TransportNode sender, Connection connection, long tag,
                               long descriptor, ByteBuffer memory, int offsetBytes, int lengthBytes, long token,
                               long timeoutMs) {
        boolean[] posted = new boolean[1];
        pollUntil(nodes, () -> posted[0]
                        || (posted[0] = connection.postSend(tag, descriptor, memory, offsetBytes, lengthBytes, token))
                        || sender.handler.hasFailureOf(connection.peerRank()),
                timeoutMs, () -> "rank " + sender.rank + " to post a send to rank " + connection.peerRank()
                        + " (back-pressured throughout; " + sender.transport + ", failures " + sender.handler.failures() + ", wakeups " + sender.context.wakeups() + ")");
        return posted[0];
    }
}
