package io.jccl.testkit.transport;

import io.jccl.PeerFailureException;
import io.jccl.config.Configuration;
import io.jccl.spi.Connection;
import io.jccl.spi.Tags;
import io.jccl.spi.Transport;
import io.jccl.spi.TransportProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What every transport must do, checked against N endpoints opened in this JVM (the pattern of
 * Netty's testsuite): subclass it, name the provider in {@link #transportName()}, optionally add
 * {@link #options()}. Endpoints are polled by the test thread (or one thread per rank) through
 * {@link TransportDriver}, which sleeps until {@code wakeup()}, so missing wake-ups fail too.
 * Payloads are pseudo-random bytes from {@link TestPayloads}; the reference is regenerated from
 * the seed, independently of what travelled.
 */
public abstract class TransportConformanceSuite {
    /** Upper bound for any single wait; generous because the test machine is shared and noisy. */
    protected static final long WAIT_MS = 20_000;
    /** A closed peer must be reported within this bound. */
    protected static final long FAILURE_DETECTION_MS = 10_000;
    private static final int LARGE_MESSAGE_BYTES = (16 << 20) + 3;

    private final List<TransportNode> opened = new ArrayList<>();

    /** Name of the provider under test, as found with {@link ServiceLoader}. */
    protected abstract String transportName();

    /** Options the endpoints are configured with (property names to values). */
    protected Map<String, String> options() {
        return Map.of();
    }

    @AfterEach
    void closeEndpoints() {
        opened.forEach(TransportNode::close);
        opened.clear();
    }

    protected final TransportProvider provider() {
        for (TransportProvider p : ServiceLoader.load(TransportProvider.class)) {
            if (p.name().equals(transportName())) {
                assertTrue(p.isAvailable(), () -> transportName() + " is unavailable: " + p.unavailabilityCause());
                return p;
            }
        }
        throw new AssertionError("no TransportProvider named '" + transportName() + "' on the class path");
    }

    /** Opens {@code count} endpoints of one communicator; they are closed after the test. */
    protected final List<TransportNode> open(int count) {
        long communicatorId = ThreadLocalRandom.current().nextLong();
        List<TransportNode> nodes = new ArrayList<>();
        for (int rank = 0; rank < count; rank++) {
            nodes.add(open(rank, count, communicatorId, options()));
        }
        return nodes;
    }

    /** Opens one endpoint with explicit settings; it is closed after the test. */
    protected final TransportNode open(int rank, int worldSize, long communicatorId, Map<String, String> options) {
        TransportProvider provider = provider();
        Configuration configuration = Configuration.resolve(options, provider.options(), Map.of(), Map.of(), List.of());
        TestTransportContext context = new TestTransportContext(rank, worldSize, communicatorId, configuration);
        TransportNode node = new TransportNode(context, provider.open(context));
        opened.add(node);
        return node;
    }

    /** What a test sent, to check against what arrived. */
    protected static final class Sent {
        final TransportNode from;
        final TransportNode to;
        final long tag;
        final long descriptor;
        final byte[] payload;
        final long token;

        Sent(TransportNode from, TransportNode to, long tag, long descriptor, byte[] payload, long token) {
            this.from = from;
            this.to = to;
            this.tag = tag;
            this.descriptor = descriptor;
            this.payload = payload;
            this.token = token;
        }
    }

    /** Sends {@code payload} from {@code from} to {@code to}, placed at {@code offsetBytes} in a guarded buffer. */
    protected final Sent send(List<TransportNode> nodes, TransportNode from, TransportNode to, long tag,
                              long descriptor, byte[] payload, int offsetBytes, long token) {
        ByteBuffer memory = TestPayloads.directWithGuards(payload, offsetBytes);
        int position = memory.position();
        int limit = memory.limit();
        assertTrue(TransportDriver.send(nodes, from, from.connect(to), tag, descriptor, memory, offsetBytes,
                payload.length, token, WAIT_MS), () -> "peer failed before the send: " + from.handler.failures());
        assertEquals(position, memory.position(), "postSend moved the position of the caller's buffer");
        assertEquals(limit, memory.limit(), "postSend moved the limit of the caller's buffer");
        return new Sent(from, to, tag, descriptor, payload, token);
    }

    /** Waits until every message arrived and every send completed, then checks them all. */
    protected final void awaitAndVerify(List<TransportNode> nodes, List<Sent> sent) {
        TransportDriver.pollUntil(nodes, () -> sent.stream().allMatch(s ->
                        s.to.handler.message(s.from.rank, s.tag) != null && s.from.handler.completions(s.token) > 0),
                WAIT_MS, () -> "messages/completions: " + missing(sent));
        verify(nodes, sent);
    }

    private static String missing(List<Sent> sent) {
        return sent.stream().filter(s -> s.to.handler.message(s.from.rank, s.tag) == null
                        || s.from.handler.completions(s.token) == 0)
                .limit(5).map(s -> Tags.toString(s.tag) + " " + s.from.rank + "->" + s.to.rank + " ("
                        + s.payload.length + " B, arrived=" + (s.to.handler.message(s.from.rank, s.tag) != null)
                        + ", completed=" + (s.from.handler.completions(s.token) > 0) + ")")
                .collect(Collectors.joining(", "));
    }

    private static void verify(List<TransportNode> nodes, List<Sent> sent) {
        for (TransportNode node : nodes) {
            assertEquals(List.of(), node.handler.violations(), "SPI contract violations at rank " + node.rank);
            assertEquals(List.of(), node.handler.failures().stream().map(Object::toString).collect(Collectors.toList()),
                    "unexpected failures at rank " + node.rank);
        }
        for (Sent s : sent) {
            RecordingHandler.Message m = s.to.handler.message(s.from.rank, s.tag);
            String what = Tags.toString(s.tag) + " from rank " + s.from.rank + " to rank " + s.to.rank;
            assertEquals(s.descriptor, m.descriptor, what + ": descriptor");
            assertEquals(s.payload.length, m.bytes.length, what + ": messageBytes");
            if (TestPayloads.crc32(s.payload) != TestPayloads.crc32(m.bytes)) {
                fail(what + ": payload differs from byte " + Arrays.mismatch(s.payload, m.bytes));
            }
            assertEquals(1, s.from.handler.completions(s.token), what + ": completions of token " + s.token);
        }
    }

    private static long descriptorOf(int i) {
        return 0xC0FFEE0000000000L ^ ((long) i << 17) ^ i;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldDeliverIntactMessagesWhenSizesAreSmallOrOdd() {
        List<TransportNode> nodes = open(2);
        int[] sizes = {1, 2, 3, 7, 8, 13, 255, 1000, 4095, 4097, 65535, 65537, 1_000_003};
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            long tag = i % 2 == 0 ? Tags.pointToPoint(i) : Tags.collective(i, i % 7, i);
            sent.add(send(nodes, nodes.get(0), nodes.get(1), tag, descriptorOf(i), TestPayloads.bytes(i, sizes[i]),
                    5 + i, 100 + i));
        }
        awaitAndVerify(nodes, sent);
        assertTrue(nodes.get(1).context.wakeups() > 0, "the receiver never woke the engine");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldDeliverExactlyOneEmptyFragmentWhenMessageIsZeroLength() {
        List<TransportNode> nodes = open(2);
        TransportNode a = nodes.get(0);
        TransportNode b = nodes.get(1);
        Connection ab = a.connect(b);
        ByteBuffer empty = ByteBuffer.allocateDirect(0);
        ByteBuffer eight = ByteBuffer.allocateDirect(8);
        assertTrue(TransportDriver.send(nodes, a, ab, Tags.collective(1, 0, 0), 11, empty, 0, 0, 1, WAIT_MS));
        assertTrue(TransportDriver.send(nodes, a, ab, Tags.collective(1, 0, 1), 12, eight, 8, 0, 2, WAIT_MS));
        assertTrue(TransportDriver.send(nodes, a, ab, Tags.collective(1, 0, 2), 13, eight, 3, 0, 3, WAIT_MS));
        // A last non-empty message on the same lane: once it is in, a stray extra fragment would be too.
        List<Sent> sent = List.of(send(nodes, a, b, Tags.collective(1, 0, 3), 14, TestPayloads.bytes(4, 1), 0, 4));
        awaitAndVerify(nodes, sent);
        TransportDriver.pollUntil(nodes, () -> a.handler.completions(1) + a.handler.completions(2)
                + a.handler.completions(3) == 3, WAIT_MS, () -> "completions of the empty sends");
        for (int index = 0; index < 3; index++) {
            RecordingHandler.Message m = b.handler.message(0, Tags.collective(1, 0, index));
            assertNotNull(m, "empty message " + index + " did not arrive");
            assertEquals(0, m.bytes.length);
            assertEquals(11 + index, m.descriptor);
            assertEquals(1, m.fragments(), "an empty message is exactly one empty fragment");
        }
        TransportDriver.pollFor(nodes, 50);
        assertEquals(List.of(), b.handler.violations());
        assertEquals(Map.of(1L, 1, 2L, 1, 3L, 1, 4L, 1), a.handler.allCompletions());
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldDeliverContiguousFragmentsWhenMessageIsLargerThanAnyFrame() {
        List<TransportNode> nodes = open(2);
        List<Sent> sent = List.of(
                send(nodes, nodes.get(0), nodes.get(1), Tags.collective(7, 1, 0), descriptorOf(1),
                        TestPayloads.bytes(71, LARGE_MESSAGE_BYTES), 7, 1),
                send(nodes, nodes.get(1), nodes.get(0), Tags.collective(7, 1, 1), descriptorOf(2),
                        TestPayloads.bytes(72, LARGE_MESSAGE_BYTES), 3, 2));
        awaitAndVerify(nodes, sent);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldDeliverEveryMessageWhenSeveralPeersSendConcurrently() throws InterruptedException {
        int ranks = 4;
        int messagesPerPeer = 30;
        int[] sizes = {0, 1, 3, 64, 1000, 4097, 65536, 200_003};
        List<TransportNode> nodes = open(ranks);
        AtomicReference<Throwable> error = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (TransportNode node : nodes) {
            Thread thread = new Thread(() -> {
                try {
                    runPeer(node, nodes, messagesPerPeer, sizes);
                } catch (Throwable t) {
                    error.compareAndSet(null, t);
                }
            }, "conformance-rank-" + node.rank);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(WAIT_MS * 2);
            assertFalse(thread.isAlive(), thread.getName() + " did not finish");
        }
        if (error.get() != null) {
            throw new AssertionError("a rank failed", error.get());
        }
        List<Sent> sent = new ArrayList<>();
        for (TransportNode from : nodes) {
            for (TransportNode to : nodes) {
                for (int i = 0; i < messagesPerPeer && from != to; i++) {
                    sent.add(new Sent(from, to, Tags.collective(i, i % 8, to.rank), descriptorOf(from.rank * 1000 + i),
                            TestPayloads.bytes(seed(from.rank, to.rank, i), sizes[(i * 7 + from.rank) % sizes.length]),
                            to.rank * 1000L + i));
                }
            }
        }
        verify(nodes, sent);
    }

    private static long seed(int from, int to, int i) {
        return ((long) from << 40) ^ ((long) to << 20) ^ i;
    }

    /** One rank of the concurrent test: an engine-like loop that posts, retries and polls on its own thread. */
    private static void runPeer(TransportNode self, List<TransportNode> nodes, int messagesPerPeer, int[] sizes) {
        List<Object[]> pending = new ArrayList<>();
        for (TransportNode peer : nodes) {
            for (int i = 0; i < messagesPerPeer && peer != self; i++) {
                byte[] payload = TestPayloads.bytes(seed(self.rank, peer.rank, i), sizes[(i * 7 + self.rank) % sizes.length]);
                ByteBuffer memory = TestPayloads.directWithGuards(payload, i % 5);
                pending.add(new Object[] {self.connect(peer), Tags.collective(i, i % 8, peer.rank),
                    descriptorOf(self.rank * 1000 + i), memory, i % 5, payload.length, peer.rank * 1000L + i});
            }
        }
        int expected = messagesPerPeer * (nodes.size() - 1);
        TransportDriver.pollUntil(List.of(self), () -> {
            pending.removeIf(p -> ((Connection) p[0]).postSend((long) p[1], (long) p[2], (ByteBuffer) p[3],
                    (int) p[4], (int) p[5], (long) p[6]));
            return pending.isEmpty() && self.handler.allCompletions().size() == expected
                    && self.handler.completedMessages() == expected;
        }, WAIT_MS, () -> "rank " + self.rank + ": " + pending.size() + " unposted, "
                + self.handler.allCompletions().size() + "/" + expected + " completions, "
                + self.handler.completedMessages() + "/" + expected + " messages");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldReportEachCompletionExactlyOnceWhenManyMessagesArePosted() {
        List<TransportNode> nodes = open(2);
        TransportNode a = nodes.get(0);
        TransportNode b = nodes.get(1);
        int count = 500;
        int sizeBytes = 64;
        byte[] all = TestPayloads.bytes(5, count * sizeBytes);
        ByteBuffer memory = TestPayloads.directWithGuards(all, 0);
        Connection ab = a.connect(b);
        for (int i = 0; i < count; i++) {
            assertTrue(TransportDriver.send(nodes, a, ab, Tags.collective(i, i % 3, 0), i, memory, i * sizeBytes,
                    sizeBytes, 17 + 3L * i, WAIT_MS));
        }
        TransportDriver.pollUntil(nodes, () -> a.handler.allCompletions().size() == count
                && b.handler.completedMessages() == count, WAIT_MS, () -> a.handler.allCompletions().size()
                + " completions, " + b.handler.completedMessages() + " messages of " + count);
        TransportDriver.pollFor(nodes, 100);
        for (int i = 0; i < count; i++) {
            assertEquals(1, a.handler.completions(17 + 3L * i), "completions of token " + (17 + 3L * i));
            RecordingHandler.Message m = b.handler.message(0, Tags.collective(i, i % 3, 0));
            assertArrayEquals(Arrays.copyOfRange(all, i * sizeBytes, (i + 1) * sizeBytes), m.bytes, "message " + i);
        }
        assertEquals(count, a.handler.allCompletions().size(), "tokens that were never posted completed");
        assertEquals(List.of(), b.handler.violations());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldKeepRetainedFragmentsValidWhenSenderReusesItsMemory() {
        List<TransportNode> nodes = open(2);
        TransportNode a = nodes.get(0);
        TransportNode b = nodes.get(1);
        b.handler.retainFragments(true);
        int[] sizes = {100, 70_001, (2 << 20) + 1};
        List<byte[]> payloads = new ArrayList<>();
        List<ByteBuffer> memories = new ArrayList<>();
        Connection ab = a.connect(b);
        for (int i = 0; i < sizes.length; i++) {
            payloads.add(TestPayloads.bytes(900 + i, sizes[i]));
            memories.add(TestPayloads.directWithGuards(payloads.get(i), 1));
            assertTrue(TransportDriver.send(nodes, a, ab, Tags.collective(9, 0, i), i, memories.get(i), 1, sizes[i],
                    i, WAIT_MS));
        }
        // The sender completes although the receiver keeps every fragment unreleased.
        TransportDriver.pollUntil(nodes, () -> a.handler.allCompletions().size() == sizes.length
                && b.handler.completedMessages() == sizes.length, WAIT_MS, () -> "completions while fragments are retained");
        for (ByteBuffer memory : memories) {
            for (int i = 0; i < memory.limit(); i++) { // the payload lies below the limit
                memory.put(i, (byte) 0x5A);
            }
        }
        // More traffic, so that a transport recycling buffers too early would overwrite retained ones.
        List<Sent> churn = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            churn.add(send(nodes, a, b, Tags.collective(10, 0, i), i, TestPayloads.bytes(950 + i, sizes[i]), 0, 10 + i));
        }
        TransportDriver.pollUntil(nodes, () -> churn.stream().allMatch(s -> b.handler.message(0, s.tag) != null
                && a.handler.completions(s.token) > 0),
                WAIT_MS, () -> "the second batch");
        assertTrue(b.handler.retainedCount() >= 2 * sizes.length);
        b.handler.copyAndReleaseRetained();
        for (int i = 0; i < sizes.length; i++) {
            assertArrayEquals(payloads.get(i), b.handler.message(0, Tags.collective(9, 0, i)).bytes,
                    "retained message " + i + " changed after the sender reused its memory");
        }
        verify(nodes, churn);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldReportFailureNamingRankWhenPeerCloses() {
        List<TransportNode> nodes = open(3);
        TransportNode a = nodes.get(0);
        // a sends to rank 1 and receives from rank 2: both directions of losing a peer.
        awaitAndVerify(nodes, List.of(send(nodes, a, nodes.get(1), Tags.pointToPoint(1), 1, new byte[10], 0, 1),
                send(nodes, nodes.get(2), a, Tags.pointToPoint(2), 2, new byte[10], 0, 2)));
        for (int peer = 1; peer <= 2; peer++) {
            TransportNode closing = nodes.get(peer);
            closing.close();
            int rank = peer;
            TransportDriver.pollUntil(List.of(a), () -> a.handler.hasFailureOf(rank), FAILURE_DETECTION_MS,
                    () -> "rank 0 to notice that rank " + rank + " closed");
            assertFailureNames(a, rank);
        }
        assertTrue(a.handler.failures().stream().allMatch(f -> f.peerRank == 1 || f.peerRank == 2),
                () -> "failures of ranks that did not fail: " + a.handler.failures());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldReportFailureNamingRankWhenConnectingToClosedPeer() {
        List<TransportNode> nodes = open(2);
        TransportNode a = nodes.get(0);
        nodes.get(1).close();
        Connection connection = a.connect(nodes.get(1));
        TransportDriver.send(List.of(a), a, connection, Tags.pointToPoint(0), 0, ByteBuffer.allocateDirect(4), 0, 4, 0,
                FAILURE_DETECTION_MS);
        TransportDriver.pollUntil(List.of(a), () -> a.handler.hasFailureOf(1), FAILURE_DETECTION_MS,
                () -> "a failure for the closed rank 1");
        assertFailureNames(a, 1);
    }

    private static void assertFailureNames(TransportNode node, int rank) {
        RecordingHandler.Failure failure = node.handler.failures().stream().filter(f -> f.peerRank == rank)
                .findFirst().orElseThrow();
        assertNotNull(failure.cause, "failure without a cause");
        assertTrue(String.valueOf(failure.cause.getMessage()).contains("rank " + rank),
                () -> "the cause does not name rank " + rank + ": " + failure.cause);
        if (failure.cause instanceof PeerFailureException) {
            assertEquals(rank, ((PeerFailureException) failure.cause).peerRank());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldNotReportOwnConnectionsWhenClosing() {
        List<TransportNode> nodes = open(2);
        TransportNode a = nodes.get(0);
        TransportNode b = nodes.get(1);
        awaitAndVerify(nodes, List.of(send(nodes, a, b, Tags.pointToPoint(1), 1, new byte[100], 0, 1),
                send(nodes, b, a, Tags.pointToPoint(2), 2, new byte[100], 0, 2)));
        a.close();
        TransportDriver.pollUntil(List.of(b), () -> b.handler.hasFailureOf(0), FAILURE_DETECTION_MS,
                () -> "rank 1 to notice that rank 0 closed");
        assertEquals(0, TransportDriver.pollFor(List.of(a), 200), "a closed transport still delivered events");
        assertEquals(List.of(), a.handler.failures().stream().map(Object::toString).collect(Collectors.toList()),
                "closing reported its own connections as failed");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldDeliverMessagesOnEveryLaneWhenTagsUseManyLanes() {
        List<TransportNode> nodes = open(2);
        int[] lanes = {0, 1, 2, 3, 4, 5, 6, 7, 100, 255};
        List<Sent> sent = new ArrayList<>();
        for (int lane : lanes) {
            for (int index = 0; index < 3; index++) {
                int size = 1 + lane * 37 + index * 1001;
                sent.add(send(nodes, nodes.get(index % 2), nodes.get(1 - index % 2), Tags.collective(3, lane, index),
                        descriptorOf(lane), TestPayloads.bytes(lane * 10L + index, size), index, lane * 10L + index));
            }
        }
        awaitAndVerify(nodes, sent);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldBeIdempotentAndLeaveNoThreadsWhenClosed() throws InterruptedException {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        List<TransportNode> nodes = open(2);
        awaitAndVerify(nodes, List.of(send(nodes, nodes.get(0), nodes.get(1), Tags.pointToPoint(1), 1, new byte[1000], 0, 1),
                send(nodes, nodes.get(1), nodes.get(0), Tags.pointToPoint(2), 2, new byte[1000], 0, 2)));
        long startNs = System.nanoTime();
        for (TransportNode node : nodes) {
            Transport transport = node.transport;
            transport.close();
            transport.close();
        }
        long closeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        assertTrue(closeMs < 10_000, "close took " + closeMs + " ms");
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && !before.contains(t) && isTransportThread(t))
                    .map(Thread::getName).collect(Collectors.toList());
            if (!left.isEmpty()) {
                Thread.sleep(20);
            }
        } while (!left.isEmpty() && System.nanoTime() < deadlineNs);
        assertEquals(List.of(), left, "threads left behind after close");
    }

    /**
     * Whether {@code thread}, started during the test, belongs to the transport. By default every
     * new thread does; override to exclude process-wide threads a library starts once (and keeps).
     */
    protected boolean isTransportThread(Thread thread) {
        return true;
    }
}
