package io.jccl.testkit.transport;

import io.jccl.PeerFailureException;
import io.jccl.spi.AbstractInboundFragment;
import io.jccl.spi.Connection;
import io.jccl.spi.DedicatedProgressLoop;
import io.jccl.spi.InboundFragment;
import io.jccl.spi.ProgressLoop;
import io.jccl.spi.Transport;
import io.jccl.spi.TransportContext;
import io.jccl.spi.TransportHandler;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small transport that exercises every path of the SPI, so the conformance kit can be tested on
 * its own: endpoints of one JVM, each with a {@link DedicatedProgressLoop}. A connection is
 * established one loop pass after {@code connect} (sends before that are back-pressured), a peer
 * may have at most {@link #WINDOW_BYTES} in flight (more is back-pressured until completions free
 * it), payloads of at most {@link #COPY_LIMIT_BYTES} are copied (reported {@code COMPLETE}, or, for
 * odd tokens, {@code IN_FLIGHT} with the completion delivered from inside {@code postSend}), larger
 * ones are handed over as views of the sender's memory in fragments of {@link #FRAGMENT_BYTES}.
 *
 * <p>Threading: {@code connect} and {@code postSend} on the loop; {@code close} from another thread.
 */
final class InMemoryReferenceTransport implements Transport {
    static final int COPY_LIMIT_BYTES = 256;
    static final int FRAGMENT_BYTES = 64 << 10;
    static final long WINDOW_BYTES = 1 << 20;
    private static final Map<Long, InMemoryReferenceTransport> REGISTRY = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT_ID = new AtomicLong(1);

    private final TransportContext context;
    private final TransportHandler handler;
    private final DedicatedProgressLoop loop;
    private final long id = NEXT_ID.getAndIncrement();
    private final Set<InMemoryReferenceTransport> contacts = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    /** Loop thread only. */
    private final Map<Integer, Link> links = new HashMap<>();
    private final Set<Integer> failedPeers = new HashSet<>();

    InMemoryReferenceTransport(TransportContext context, TransportHandler handler) {
        this.context = context;
        this.handler = handler;
        this.loop = new DedicatedProgressLoop("jccl-reference-loop-rank-" + context.rank());
        REGISTRY.put(id, this);
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
        checkInLoop("connect");
        Link existing = links.get(peerRank);
        if (existing != null) {
            return existing;
        }
        InMemoryReferenceTransport target = REGISTRY.get(ByteBuffer.wrap(peerAddress).getLong());
        Link link = new Link(peerRank, target);
        links.put(peerRank, link);
        if (target == null) {
            loop.execute(() -> fail(peerRank, "rank " + peerRank + " is not open: it closed or never started"));
        } else if (target.context.communicatorId() != context.communicatorId()) {
            loop.execute(() -> fail(peerRank, "rank " + peerRank + " belongs to another job"));
        } else {
            target.contacts.add(this);
            contacts.add(target);
            if (target.closed) {
                loop.execute(() -> fail(peerRank, "rank " + peerRank + " closed"));
            }
            loop.execute(() -> {
                link.established = true;
                link.writableIfWanted();
            });
        }
        return link;
    }

    private void checkInLoop(String method) {
        if (!loop.inLoop()) {
            throw new IllegalStateException(method + " called off the loop thread");
        }
    }

    private void fail(int peerRank, String message) {
        if (!closed && failedPeers.add(peerRank)) {
            handler.onFailure(peerRank, new PeerFailureException(peerRank, message, null));
        }
    }

    /** Delivers a message on this (the receiving) transport's loop. */
    private void deliver(int senderRank, long tag, long descriptor, ByteBuffer payload) {
        if (closed) {
            return;
        }
        int lengthBytes = payload.remaining();
        int offsetBytes = 0;
        do {
            int fragmentBytes = Math.min(FRAGMENT_BYTES, lengthBytes - offsetBytes);
            Fragment f = new Fragment(senderRank, tag, descriptor, lengthBytes, offsetBytes,
                    payload.slice(offsetBytes, fragmentBytes).order(ByteOrder.nativeOrder()));
            try {
                handler.onFragment(f);
            } finally {
                f.data = null; // a view of the sender's memory: invalid after the callback
            }
            offsetBytes += fragmentBytes;
        } while (offsetBytes < lengthBytes);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        REGISTRY.remove(id);
        for (InMemoryReferenceTransport contact : contacts) {
            contact.loop.execute(() -> contact.fail(context.rank(), "rank " + context.rank() + " closed"));
        }
        loop.shutdown(5_000);
    }

    @Override
    public String toString() {
        return "InMemoryReferenceTransport[rank " + context.rank() + (closed ? ", closed]" : "]");
    }

    private final class Link implements Connection {
        private final int peerRank;
        private final InMemoryReferenceTransport target;
        boolean established;
        long inFlightBytes;
        boolean wantsWritable;

        Link(int peerRank, InMemoryReferenceTransport target) {
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
            checkInLoop("postSend");
            Objects.checkFromIndexSize(offsetBytes, lengthBytes, memory.capacity());
            if (failedPeers.contains(peerRank)) {
                return SendResult.COMPLETE;
            }
            if (!established || inFlightBytes >= WINDOW_BYTES) {
                wantsWritable = true;
                return SendResult.BACK_PRESSURED;
            }
            int senderRank = context.rank();
            if (lengthBytes <= COPY_LIMIT_BYTES) {
                ByteBuffer copy = ByteBuffer.allocateDirect(lengthBytes);
                copy.put(0, memory, offsetBytes, lengthBytes);
                target.loop.execute(() -> target.deliver(senderRank, tag, descriptor, copy));
                if ((token & 1) == 0) {
                    return SendResult.COMPLETE;
                }
                handler.onSendComplete(token); // re-entrant, as the SPI allows
                return SendResult.IN_FLIGHT;
            }
            inFlightBytes += lengthBytes;
            ByteBuffer view = memory.slice(offsetBytes, lengthBytes);
            target.loop.execute(() -> {
                target.deliver(senderRank, tag, descriptor, view);
                loop.execute(() -> completed(token, lengthBytes));
            });
            return SendResult.IN_FLIGHT;
        }

        private void completed(long token, int lengthBytes) {
            if (closed) {
                return;
            }
            inFlightBytes -= lengthBytes;
            handler.onSendComplete(token);
            writableIfWanted();
        }

        void writableIfWanted() {
            if (wantsWritable && established && inFlightBytes < WINDOW_BYTES && !closed) {
                wantsWritable = false;
                handler.onWritable(peerRank);
            }
        }
    }

    /** A fragment viewing the sender's memory during its callback; {@link #retain()} copies it. */
    private static final class Fragment extends AbstractInboundFragment {
        ByteBuffer data;

        Fragment(int peerRank, long tag, long descriptor, int messageBytes, int offsetBytes, ByteBuffer data) {
            super(peerRank, tag, descriptor, messageBytes, offsetBytes);
            this.data = data;
        }

        @Override
        public ByteBuffer data() {
            if (data == null) {
                throw new IllegalStateException("fragment used after its callback or release");
            }
            return data;
        }

        @Override
        public InboundFragment retain() {
            ByteBuffer d = data();
            ByteBuffer copy = ByteBuffer.allocateDirect(d.remaining()).order(ByteOrder.nativeOrder());
            copy.put(0, d, d.position(), d.remaining());
            return new Fragment(peerRank(), tag(), descriptor(), messageBytes(), offsetBytes(), copy);
        }

        @Override
        public void release() {
            data();
            data = null;
        }
    }
}
