package io.jccl.testkit.transport;

import io.jccl.spi.Connection;
import io.jccl.spi.Connection.SendResult;
import io.jccl.spi.InboundFragment;
import io.jccl.spi.ProgressLoop;
import io.jccl.spi.Transport;
import io.jccl.spi.TransportHandler;
import io.jccl.spi.TransportProvider;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One rank in a conformance test: its transport, context and {@link RecordingHandler}, and a
 * sending side that behaves like the engine. {@link #send} hands the message to the loop, which
 * posts it; a {@link SendResult#BACK_PRESSURED} send (and every later one to that peer, to keep
 * their order) waits for {@code onWritable(peer)} and is posted again then, so a transport that
 * forgets that event makes the test time out naming the stuck sends. A send counts as done when
 * {@code postSend} returns {@link SendResult#COMPLETE} or its {@code onSendComplete} arrives; then
 * the node checks that the transport left the caller's bytes alone and, with
 * {@link #scribbleWhenFree(boolean)}, overwrites them at once, as an engine reusing its buffer would.
 * After a failure of the peer, queued sends are posted again: the transport must drop them as
 * {@code COMPLETE}.
 *
 * <p>Threading: the public methods from any thread; {@code connect} and {@code postSend} are only
 * ever called on the transport's loop.
 */
public final class TransportNode implements AutoCloseable {
    /** The state of one send, by token. */
    public enum SendState {
        /** Handed to the loop, not posted yet (or waiting behind a back-pressured send to the same peer). */
        QUEUED,
        /** Posted and refused; waiting for {@code onWritable} of the peer. */
        BACK_PRESSURED,
        /** Posted; waiting for {@code onSendComplete}. */
        IN_FLIGHT,
        /** {@code postSend} returned {@code COMPLETE}: the payload was copied (or dropped for a failed peer). */
        COPIED,
        /** {@code onSendComplete} arrived. */
        COMPLETED,
        /** {@code connect} or {@code postSend} threw (a violation is recorded). */
        THREW;

        /** Whether the caller's memory is free again. */
        public boolean isDone() {
            return this == COPIED || this == COMPLETED || this == THREW;
        }
    }

    public final int rank;
    public final TestTransportContext context;
    public final Transport transport;
    public final RecordingHandler handler;
    private final TransportDriver driver;
    private final byte[] address;
    private final Map<Long, SendState> states = new ConcurrentHashMap<>();
    private final Map<Integer, Connection> connections = new ConcurrentHashMap<>();
    /** Loop thread only: unposted sends per peer, and sends inside postSend or in flight by token. */
    private final Map<Integer, PeerQueue> queues = new HashMap<>();
    private final Map<Long, Outgoing> unfinished = new HashMap<>();
    private volatile boolean scribbleWhenFree;

    private static final class PeerQueue {
        final ArrayDeque<Outgoing> sends = new ArrayDeque<>();
        boolean waitingForWritable;
        boolean peerFailed;
    }

    private static final class Outgoing {
        final int peerRank;
        final byte[] peerAddress;
        final long tag;
        final long descriptor;
        final ByteBuffer memory;
        final int offsetBytes;
        final int lengthBytes;
        final long token;
        byte[] snapshot;

        Outgoing(int peerRank, byte[] peerAddress, long tag, long descriptor, ByteBuffer memory, int offsetBytes,
                 int lengthBytes, long token) {
            this.peerRank = peerRank;
            this.peerAddress = peerAddress;
            this.tag = tag;
            this.descriptor = descriptor;
            this.memory = memory;
            this.offsetBytes = offsetBytes;
            this.lengthBytes = lengthBytes;
            this.token = token;
        }
    }

    TransportNode(TransportProvider provider, TestTransportContext context, TransportDriver driver) {
        this.rank = context.rank();
        this.context = context;
        this.driver = driver;
        this.handler = new RecordingHandler(driver::signal, new SendingSide());
        this.transport = Objects.requireNonNull(provider.open(context, handler), "open() returned null");
        handler.bind(transport.loop());
        // Like an engine with work in flight for the node's whole life: a loop that callers drive must
        // then run on its own thread (no caller drives it here).
        transport.loop().execute(() -> transport.loop().keepRunning(true));
        this.address = transport.localAddress();
    }

    /** The address this node published when it opened. */
    public byte[] address() {
        return address.clone();
    }

    public ProgressLoop loop() {
        return transport.loop();
    }

    /** Runs {@code task} on the loop and returns its result; fails after the driver's wait bound. */
    public <T> T callOnLoop(String what, Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop().execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(driver.waitMs(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("rank " + rank + ": timed out after " + driver.waitMs() + " ms waiting for the loop"
                    + " to run " + what + " (" + loop() + ")");
        } catch (ExecutionException e) {
            throw new AssertionError("rank " + rank + ": " + what + " failed on the loop", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }

    /** Runs {@code task} on the loop and waits for it. */
    public void runOnLoop(String what, Runnable task) {
        callOnLoop(what, () -> {
            task.run();
            return null;
        });
    }

    /** The loop's thread, found by running a task on it. */
    public Thread loopThread() {
        return callOnLoop("a task that names the loop thread", Thread::currentThread);
    }

    /** The connection to {@code peer}, established on the loop on first use. */
    public Connection connect(TransportNode peer) {
        return connect(peer.rank, peer.address);
    }

    /** The connection to {@code peerRank} at {@code peerAddress}, established on the loop on first use. */
    public Connection connect(int peerRank, byte[] peerAddress) {
        return callOnLoop("connect(" + peerRank + ")", () -> connectOnLoop(peerRank, peerAddress));
    }

    private Connection connectOnLoop(int peerRank, byte[] peerAddress) {
        Connection c = connections.get(peerRank);
        if (c == null) {
            handler.beforeConnect();
            try {
                c = Objects.requireNonNull(transport.connect(peerRank, peerAddress), "connect() returned null");
            } finally {
                handler.afterConnect();
            }
            if (c.peerRank() != peerRank) {
                handler.violation("connect(" + peerRank + ") returned a connection to rank " + c.peerRank());
            }
            connections.put(peerRank, c);
        }
        return c;
    }

    /** When true, the memory of a send is overwritten as soon as the transport says it is free. */
    public void scribbleWhenFree(boolean scribble) {
        this.scribbleWhenFree = scribble;
    }

    /** Sends {@code memory[offsetBytes, offsetBytes + lengthBytes)} to {@code peer}; see the class comment. */
    public void send(TransportNode peer, long tag, long descriptor, ByteBuffer memory, int offsetBytes,
                     int lengthBytes, long token) {
        send(peer.rank, peer.address, tag, descriptor, memory, offsetBytes, lengthBytes, token);
    }

    /**
     * Sends to {@code peerRank} at {@code peerAddress}, without waiting. {@code token} must be unique
     * on this node; the caller leaves the memory alone until {@link #sendState} says it is done.
     */
    public void send(int peerRank, byte[] peerAddress, long tag, long descriptor, ByteBuffer memory,
                     int offsetBytes, int lengthBytes, long token) {
        if (states.putIfAbsent(token, SendState.QUEUED) != null) {
            throw new IllegalArgumentException("token " + token + " was already used on rank " + rank);
        }
        Outgoing o = new Outgoing(peerRank, peerAddress, tag, descriptor, memory, offsetBytes, lengthBytes, token);
        loop().execute(() -> {
            queues.computeIfAbsent(peerRank, r -> new PeerQueue()).sends.add(o);
            drain(peerRank);
        });
    }

    /** The state of the send with {@code token}, or null when there was none. */
    public SendState sendState(long token) {
        return states.get(token);
    }

    /** Whether the send with {@code token} is done (its memory is free). */
    public boolean isSendDone(long token) {
        SendState s = states.get(token);
        return s != null && s.isDone();
    }

    /** How many sends are not done, for messages. */
    public long unfinishedSends() {
        return states.values().stream().filter(s -> !s.isDone()).count();
    }

    /** What this node's sends wait for, for timeout messages. */
    public String describeSends() {
        Map<SendState, Long> counts = new HashMap<>();
        states.values().forEach(s -> counts.merge(s, 1L, Long::sum));
        StringBuilder out = new StringBuilder("rank " + rank + " sends " + counts);
        long stuck = counts.getOrDefault(SendState.BACK_PRESSURED, 0L);
        if (stuck > 0) {
            out.append(" (").append(stuck).append(" back-pressured and still waiting for onWritable; ")
                    .append(handler.backPressuredResults()).append(" BACK_PRESSURED results in all)");
        }
        return out.toString();
    }

    /** Posts the queued sends to {@code peerRank} until one is back-pressured. Loop thread. */
    private void drain(int peerRank) {
        PeerQueue q = queues.get(peerRank);
        while (q != null && !q.waitingForWritable && !q.sends.isEmpty()) {
            Outgoing o = q.sends.peek();
            SendResult result;
            try {
                result = post(o);
            } catch (RuntimeException e) {
                handler.violation("send " + o.token + " to rank " + peerRank + ": connect/postSend threw " + e);
                unfinished.remove(o.token);
                states.put(o.token, SendState.THREW);
                q.sends.poll();
                continue;
            }
            if (result == SendResult.BACK_PRESSURED) {
                if (q.peerFailed) {
                    handler.violation("postSend to rank " + peerRank + " was BACK_PRESSURED after its failure was"
                            + " reported; it must be dropped and reported COMPLETE");
                    unfinished.remove(o.token);
                    states.put(o.token, SendState.COPIED); // given up: nothing will move it on
                    q.sends.poll();
                    continue;
                }
                q.waitingForWritable = true;
                states.put(o.token, SendState.BACK_PRESSURED);
                break;
            }
            q.sends.poll();
            if (result == SendResult.COMPLETE) {
                unfinished.remove(o.token);
                free(o);
                states.put(o.token, SendState.COPIED);
            } else if (unfinished.containsKey(o.token)) { // not completed from inside postSend
                states.put(o.token, SendState.IN_FLIGHT);
            }
        }
        driver.signal();
    }

    private SendResult post(Outgoing o) {
        Connection c = connectOnLoop(o.peerRank, o.peerAddress);
        if (o.snapshot == null) {
            o.snapshot = new byte[o.lengthBytes];
            o.memory.duplicate().clear().get(o.offsetBytes, o.snapshot); // the range may lie beyond the limit
        }
        int position = o.memory.position();
        int limit = o.memory.limit();
        unfinished.put(o.token, o); // before posting: the completion may come from inside postSend
        SendResult result = null;
        handler.beforePost(o.token);
        try {
            result = c.postSend(o.tag, o.descriptor, o.memory, o.offsetBytes, o.lengthBytes, o.token);
        } finally {
            handler.afterPost(o.token, result);
        }
        if (result == null) {
            handler.violation("postSend(" + o.token + ") returned null");
            result = SendResult.BACK_PRESSURED;
        }
        if (o.memory.position() != position || o.memory.limit() != limit) {
            handler.violation("postSend(" + o.token + ") moved the caller's position/limit from " + position + "/"
                    + limit + " to " + o.memory.position() + "/" + o.memory.limit());
        }
        if (result == SendResult.BACK_PRESSURED && unfinished.remove(o.token) == null) {
            unfinished.put(o.token, o); // completed inside, then refused: the handler has the violation
        }
        return result;
    }

    /** The memory of {@code o} is the caller's again: check the transport left it alone, then maybe reuse it. */
    private void free(Outgoing o) {
        byte[] now = new byte[o.lengthBytes];
        o.memory.duplicate().clear().get(o.offsetBytes, now);
        if (!Arrays.equals(now, o.snapshot)) {
            handler.violation("send " + o.token + ": the transport changed the caller's memory (from byte "
                    + Arrays.mismatch(now, o.snapshot) + ")");
        }
        if (scribbleWhenFree) {
            TestPayloads.fill(o.memory, o.offsetBytes, o.lengthBytes, (byte) 0x5A);
        }
    }

    /** The engine's side of the events: completions free memory, writability and failures resume sends. */
    private final class SendingSide implements TransportHandler {
        @Override
        public void onSendComplete(long token) {
            Outgoing o = unfinished.remove(token);
            if (o != null) {
                free(o); // before the state says so: a test that sees COMPLETED may look at the memory
                states.put(token, SendState.COMPLETED);
            }
        }

        @Override
        public void onFragment(InboundFragment fragment) {
        }

        @Override
        public void onWritable(int peerRank) {
            PeerQueue q = queues.get(peerRank);
            if (q != null) {
                q.waitingForWritable = false;
                drain(peerRank);
            }
        }

        @Override
        public void onFailure(int peerRank, Throwable cause) {
            if (peerRank >= 0) {
                PeerQueue q = queues.computeIfAbsent(peerRank, r -> new PeerQueue());
                q.peerFailed = true;
                q.waitingForWritable = false;
                drain(peerRank);
            }
        }
    }

    /** Closes the transport; every event after this returns is a violation. */
    @Override
    public void close() {
        transport.close();
        handler.closed();
    }

    @Override
    public String toString() {
        return "rank " + rank + " (" + transport + ")";
    }
}
