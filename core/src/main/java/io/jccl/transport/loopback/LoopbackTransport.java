package io.jccl.transport.loopback;

import io.jccl.PeerFailureException;
import io.jccl.spi.Connection;
import io.jccl.spi.DedicatedProgressLoop;
import io.jccl.spi.ProgressLoop;
import io.jccl.spi.Transport;
import io.jccl.spi.TransportContext;
import io.jccl.spi.TransportHandler;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One rank's loopback endpoint. Its address is the 8-byte id under which it sits in a static
 * registry. Each endpoint has a {@link DedicatedProgressLoop}. A send runs a {@link Delivery} on
 * the receiver's loop, which hands a view of the sender's memory (not a copy) to the receiver's
 * handler in fragments of at most {@link #MAX_FRAGMENT_BYTES} and then runs the completion on the
 * sender's loop. Payloads of at most {@link #COPY_MAX_BYTES} are copied instead and reported
 * complete at once, so engines see both kinds of send. A fragment the handler retains is copied,
 * so the sender never waits for the receiver's release.
 *
 * <p>Threading: {@link #connect} and {@code postSend} on this endpoint's loop; {@link #close} from
 * any other thread.
 */
final class LoopbackTransport implements Transport {
    /** Large messages arrive in a few fragments so that engines see multi-fragment messages in tests. */
    static final int MAX_FRAGMENT_BYTES = 4 << 20;
    /** Payloads up to this size are copied when sent. */
    static final int COPY_MAX_BYTES = 64;
    private static final long SHUTDOWN_TIMEOUT_MS = 5_000;
    private static final Map<Long, LoopbackTransport> REGISTRY = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT_ID = new AtomicLong(1);

    private final TransportContext context;
    private final TransportHandler handler;
    private final DedicatedProgressLoop loop;
    private final long id = NEXT_ID.getAndIncrement();
    /** Transports this one sends to or receives from: told when this one closes. */
    private final Set<LoopbackTransport> contacts = ConcurrentHashMap.newKeySet();
    private final Set<Integer> failedPeers = ConcurrentHashMap.newKeySet();
    private final Map<Integer, LoopbackConnection> connections = new HashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LoopbackFragment fragment = new LoopbackFragment();

    LoopbackTransport(TransportContext context, TransportHandler handler) {
        this.context = Objects.requireNonNull(context, "context");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.loop = new DedicatedProgressLoop("jccl-loopback-r" + context.rank());
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
    public ProgressLoop loop() {
        return loop;
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

    /** On the receiver's loop: hands the message to the handler, then completes the send on the sender's loop. */
    private void deliver(Delivery delivery) {
        if (closed.get()) {
            return;
        }
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
        if (!delivery.copied) {
            LoopbackTransport sender = delivery.sender;
            long token = delivery.token;
            sender.loop.execute(() -> {
                if (!sender.closed.get()) {
                    sender.handler.onSendComplete(token);
                }
            });
        }
    }

    Connection.SendResult send(LoopbackTransport target, long tag, long descriptor, ByteBuffer memory,
                               int offsetBytes, int lengthBytes, long token) {
        Objects.checkFromIndexSize(offsetBytes, lengthBytes, memory.capacity());
        if (closed.get()) {
            throw new IllegalStateException("loopback transport of rank " + rank() + " is closed");
        }
        if (target.closed.get()) {
            // The failure of that peer is (or is about to be) reported; nothing to deliver.
            return Connection.SendResult.COMPLETE;
        }
        boolean copy = lengthBytes <= COPY_MAX_BYTES;
        ByteBuffer payload = copy ? ByteBuffer.allocate(lengthBytes).put(0, memory, offsetBytes, lengthBytes)
                : memory.slice(offsetBytes, lengthBytes);
        Delivery delivery = new Delivery(this, context.rank(), tag, descriptor, payload, token, copy);
        target.loop.execute(() -> target.deliver(delivery));
        return copy ? Connection.SendResult.COMPLETE : Connection.SendResult.IN_FLIGHT;
    }

    private void reportPeerClosed(int peerRank) {
        reportFailure(peerRank, "loopback rank " + peerRank + " closed its transport: the peer shut down or failed");
    }

    private void reportFailure(int peerRank, String message) {
        if (!closed.get() && failedPeers.add(peerRank)) {
            PeerFailureException cause = new PeerFailureException(peerRank, message, null);
            loop.execute(() -> {
                if (!closed.get()) {
                    handler.onFailure(peerRank, cause);
                }
            });
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
        loop.shutdown(SHUTDOWN_TIMEOUT_MS);
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
        public SendResult postSend(long tag, long descriptor, ByteBuffer memory, int offsetBytes, int lengthBytes,
                                   long token) {
            if (target == null || failedPeers.contains(peerRank)) {
                // The failure was reported through onFailure; the message is dropped.
                Objects.checkFromIndexSize(offsetBytes, lengthBytes, memory.capacity());
                return SendResult.COMPLETE;
            }
            return send(target, tag, descriptor, memory, offsetBytes, lengthBytes, token);
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
        /** The payload is a private copy: the send was reported complete and has no completion. */
        final boolean copied;

        Delivery(LoopbackTransport sender, int senderRank, long tag, long descriptor, ByteBuffer payload, long token,
                 boolean copied) {
            this.sender = sender;
            this.senderRank = senderRank;
            this.tag = tag;
            this.descriptor = descriptor;
            this.payload = payload;
            this.token = token;
            this.copied = copied;
        }
    }
}
