package io.jccl.transport.loopback;

import io.jccl.PeerFailureException;
import io.jccl.spi.Connection;
import io.jccl.spi.Transport;
import io.jccl.spi.TransportContext;
import io.jccl.spi.TransportHandler;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One rank's loopback endpoint. Its address is the 8-byte id under which it sits in a static
 * registry. A send queues a {@link Delivery} (a view of the sender's memory, not a copy) on the
 * receiver; the receiver's {@link #poll} hands it to its handler in fragments of at most
 * {@link #MAX_FRAGMENT_BYTES} and then queues the completion back on the sender. A fragment the
 * handler retains is copied, so the sender never waits for the receiver's release.
 *
 * <p>Threading: {@link #connect}, {@link #poll} and {@code postSend} from this rank's engine thread;
 * other ranks' engine threads add to {@link #events}; {@link #close} from any thread.
 */
final class LoopbackTransport implements Transport {
    /** Large messages arrive in a few fragments so that engines see multi-fragment messages in tests. */
    static final int MAX_FRAGMENT_BYTES = 4 << 20;
    private static final int MAX_EVENTS_PER_POLL = 4096;
    private static final Map<Long, LoopbackTransport> REGISTRY = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT_ID = new AtomicLong(1);

    private final TransportContext context;
    private final long id = NEXT_ID.getAndIncrement();
    private final Queue<Object> events = new ConcurrentLinkedQueue<>();
    /** Transports this one sends to or receives from: told when this one closes. */
    private final Set<LoopbackTransport> contacts = ConcurrentHashMap.newKeySet();
    private final Set<Integer> failedPeers = ConcurrentHashMap.newKeySet();
    private final Map<Integer, LoopbackConnection> connections = new HashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LoopbackFragment fragment = new LoopbackFragment();

    LoopbackTransport(TransportContext context) {
        this.context = Objects.requireNonNull(context, "context");
        REGISTRY.put(id, this);
    }

    int rank() {
        return context.rank();
    }

    @Override
    public byte[] localAddress() {
        return ByteBuffer.allocate(Long.BYTES).putLong(id).array();
    }

    @Override
    public Connection connect(int peerRank, byte[] peerAddress) {
        LoopbackConnection existing = connections.get(peerRank);
        if (existing != null) {
            return existing;
        }
        if (peerAddress == null || peerAddress.length != Long.BYTES) {
            throw new IllegalArgumentException("not a loopback address for rank " + peerRank
                    + ": expected " + Long.BYTES + " bytes, got "
                    + (peerAddress == null ? "null" : peerAddress.length + " bytes"));
        }
        long peerId = ByteBuffer.wrap(peerAddress).getLong();
        LoopbackTransport target = REGISTRY.get(peerId);
        LoopbackConnection connection = new LoopbackConnection(peerRank, target);
        connections.put(peerRank, connection);
        if (target == null) {
            reportFailure(peerRank, "loopback rank " + peerRank + " (id " + peerId
                    + ") is not open in this JVM: it closed already or never started");
        } else if (target.context.communicatorId() != context.communicatorId()) {
            reportFailure(peerRank, "loopback rank " + peerRank + " belongs to communicator "
                    + Long.toHexString(target.context.communicatorId()) + ", not "
                    + Long.toHexString(context.communicatorId()) + ": a rank from another job");
        } else {
            target.contacts.add(this);
            contacts.add(target);
            // Re-check after registering: a close that ran in between did not see us.
            if (target.closed.get()) {
                reportPeerClosed(peerRank);
            }
        }
        return connection;
    }

    @Override
    public int poll(TransportHandler handler) {
        int work = 0;
        Object event;
        while (work < MAX_EVENTS_PER_POLL && (event = events.poll()) != null) {
            if (closed.get()) {
                events.clear();
                return work;
            }
            work++;
            if (event instanceof Delivery) {
                deliver((Delivery) event, handler);
            } else if (event instanceof Completion) {
                handler.onSendComplete(((Completion) event).token);
            } else {
                Failure failure = (Failure) event;
                handler.onFailure(failure.peerRank, failure.cause);
            }
        }
        return work;
    }

    private void deliver(Delivery delivery, TransportHandler handler) {
        int lengthBytes = delivery.payload.remaining();
        int offsetBytes = 0;
        do {
            int fragmentBytes = Math.min(MAX_FRAGMENT_BYTES, lengthBytes - offsetBytes);
            fragment.open(delivery, offsetBytes, fragmentBytes);
            try {
                handler.onFragment(fragment);
            } finally {
                fragment.close();
            }
            offsetBytes += fragmentBytes;
        } while (offsetBytes < lengthBytes);
        // Every fragment was either read during its callback or copied by retain(): the sender's
        // memory is free again.
        delivery.sender.queueCompletion(delivery.token);
    }

    private void queueCompletion(long token) {
        if (!closed.get()) {
            events.add(new Completion(token));
            context.wakeup();
        }
    }

    void send(LoopbackTransport target, long tag, long descriptor, ByteBuffer memory, int offsetBytes,
              int lengthBytes, long token) {
        Objects.checkFromIndexSize(offsetBytes, lengthBytes, memory.capacity());
        if (closed.get()) {
            throw new IllegalStateException("loopback transport of rank " + rank() + " is closed");
        }
        if (target.closed.get()) {
            return; // the failure of that peer is (or is about to be) reported; nothing to deliver
        }
        target.events.add(new Delivery(this, context.rank(), tag, descriptor,
                memory.slice(offsetBytes, lengthBytes), token));
        target.context.wakeup();
    }

    private void reportPeerClosed(int peerRank) {
        reportFailure(peerRank, "loopback rank " + peerRank + " closed its transport: the peer shut down or failed");
    }

    private void reportFailure(int peerRank, String message) {
        if (!closed.get() && failedPeers.add(peerRank)) {
            events.add(new Failure(peerRank, new PeerFailureException(peerRank, message, null)));
            context.wakeup();
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        REGISTRY.remove(id);
        for (LoopbackTransport contact : contacts) {
            contact.contacts.remove(this);
            contact.reportPeerClosed(context.rank());
        }
        contacts.clear();
        events.clear();
    }

    @Override
    public String toString() {
        return "LoopbackTransport[rank " + context.rank() + ", id " + id + (closed.get() ? ", closed]" : "]");
    }

    /** The sending path to one peer; {@code target} is null when the peer was not open at connect time. */
    private final class LoopbackConnection implements Connection {
        private final int peerRank;
        private final LoopbackTransport target;

        LoopbackConnection(int peerRank, LoopbackTransport target) {
            this.peerRank = peerRank;
            this.target = target;
        }

        @Override
        public int peerRank() {
            return peerRank;
        }

        @Override
        public boolean postSend(long tag, long descriptor, ByteBuffer memory, int offsetBytes, int lengthBytes,
                                long token) {
            if (target == null || failedPeers.contains(peerRank)) {
                // The failure was reported through onFailure; the message is dropped.
                Objects.checkFromIndexSize(offsetBytes, lengthBytes, memory.capacity());
                return true;
            }
            send(target, tag, descriptor, memory, offsetBytes, lengthBytes, token);
            return true;
        }
    }

    /** A message in the receiver's queue: a zero-copy view of the sender's memory. */
    static final class Delivery {
        final LoopbackTransport sender;
        final int senderRank;
        final long tag;
        final long descriptor;
        final ByteBuffer payload;
        final long token;

        Delivery(LoopbackTransport sender, int senderRank, long tag, long descriptor, ByteBuffer payload, long token) {
            this.sender = sender;
            this.senderRank = senderRank;
            this.tag = tag;
            this.descriptor = descriptor;
            this.payload = payload;
            this.token = token;
        }
    }

    private static final class Completion {
        final long token;

        Completion(long token) {
            this.token = token;
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
