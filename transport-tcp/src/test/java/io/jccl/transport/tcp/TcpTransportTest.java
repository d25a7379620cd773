package io.jccl.transport.tcp;

import io.jccl.PeerFailureException;
import io.jccl.config.Configuration;
import io.jccl.spi.Tags;
import io.jccl.testkit.transport.RecordingHandler;
import io.jccl.testkit.transport.TestPayloads;
import io.jccl.testkit.transport.TestTransportContext;
import io.jccl.testkit.transport.TransportDriver;
import io.jccl.testkit.transport.TransportNode;
import io.jccl.testkit.transport.TransportNode.SendState;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TCP-specific behaviour beyond the conformance suite: I/O flavour, options, handshake refusals,
 * events on the loop thread with several I/O threads, the copy limit of small sends, clean close.
 */
class TcpTransportTest {
    private static final long WAIT_MS = TransportDriver.DEFAULT_WAIT_MS;
    /** Guard bytes in front of every payload, so the transport must honour the offset. */
    private static final int OFFSET_BYTES = 3;

    private final TransportDriver driver = new TransportDriver(WAIT_MS);

    @AfterEach
    void closeAllAndCheckContract() {
        driver.close();
        assertEquals(List.of(), driver.violations(), "SPI contract violations");
    }

    private TransportNode open(int rank, int worldSize, long communicatorId, Map<String, String> options) {
        Configuration configuration = Configuration.resolve(options, TcpOptions.all(), Map.of(), Map.of(), List.of());
        return driver.open(new TcpTransportProvider(),
                new TestTransportContext(rank, worldSize, communicatorId, configuration));
    }

    private static TcpTransport tcp(TransportNode node) {
        return (TcpTransport) node.transport;
    }

    /** Sends one message ({@code token} = {@code tag}) and returns the sender's memory. */
    private static ByteBuffer send(TransportNode from, TransportNode to, long tag, int sizeBytes) {
        ByteBuffer memory = TestPayloads.directWithGuards(TestPayloads.bytes(tag, sizeBytes), OFFSET_BYTES);
        from.send(to, tag, 42, memory, OFFSET_BYTES, sizeBytes, tag);
        return memory;
    }

    private void awaitDelivery(TransportNode from, TransportNode to, long tag) {
        driver.awaitUntil(() -> to.handler.message(from.rank, tag) != null && from.isSendDone(tag), WAIT_MS,
                () -> "message " + Tags.toString(tag) + " from rank " + from.rank + " to rank " + to.rank);
    }

    /** Checks the message arrived intact, with its descriptor, and its send completed exactly once. */
    private static void assertArrived(TransportNode from, TransportNode to, long tag, int sizeBytes) {
        RecordingHandler.Message m = to.handler.message(from.rank, tag);
        assertNotNull(m, Tags.toString(tag) + " did not arrive");
        assertEquals(42, m.descriptor);
        assertArrayEquals(TestPayloads.bytes(tag, sizeBytes), m.bytes, Tags.toString(tag) + " arrived damaged");
        assertEquals(1, from.handler.completions(tag), "completions of " + Tags.toString(tag));
        assertEquals(List.of(), from.handler.failures().stream().map(Object::toString).toList());
        assertEquals(List.of(), to.handler.failures().stream().map(Object::toString).toList());
    }

    /** Sends one message from {@code from} to {@code to} and checks it arrived intact. */
    private void assertDelivers(TransportNode from, TransportNode to, long tag, int sizeBytes) {
        send(from, to, tag, sizeBytes);
        awaitDelivery(from, to, tag);
        assertArrived(from, to, tag, sizeBytes);
        assertEquals(List.of(), driver.violations());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldUseEpollWhenNativeIsAutoOnLinux() {
        assertTrue(EpollSupport.isAvailable(), () -> "epoll should load on this Linux box: " + EpollSupport.unavailabilityCause());
        List<TransportNode> nodes = List.of(open(0, 2, 1, Map.of()), open(1, 2, 1, Map.of()));
        for (TransportNode node : nodes) {
            assertEquals(IoFlavour.EPOLL, tcp(node).ioFlavour());
            assertInstanceOf(EpollServerSocketChannel.class, tcp(node).serverChannel());
        }
        assertDelivers(nodes.get(0), nodes.get(1), Tags.collective(1, 0, 0), 300_001);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldUseNioAndDeliverWhenNioIsForced() {
        Map<String, String> nio = Map.of(TcpOptions.NATIVE.property(), "NIO");
        List<TransportNode> nodes = List.of(open(0, 2, 1, nio), open(1, 2, 1, nio));
        for (TransportNode node : nodes) {
            assertEquals(IoFlavour.NIO, tcp(node).ioFlavour());
            assertInstanceOf(NioServerSocketChannel.class, tcp(node).serverChannel());
        }
        assertDelivers(nodes.get(0), nodes.get(1), Tags.collective(2, 0, 0), 300_001);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldRejectNativeOptionWhenValueIsUnknown() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> open(0, 1, 1, Map.of(TcpOptions.NATIVE.property(), "kqueue")));
        assertTrue(e.getMessage().contains("jccl.tcp.native") && e.getMessage().contains("kqueue")
                && e.getMessage().contains("auto, epoll or nio"), e.getMessage());
        assertEquals(List.of(), driver.nodes(), "a refused open must not leave an endpoint");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldListenOnConfiguredPortWhenAddressOptionHasPort() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        TransportNode node = open(1, 2, 1, Map.of(TcpOptions.ADDRESS.property(), "127.0.0.1:" + port));
        assertEquals("127.0.0.1:" + port, new String(node.address(), StandardCharsets.UTF_8));
        assertEquals(new InetSocketAddress("127.0.0.1", port), tcp(node).serverChannel().localAddress());
        assertDelivers(open(0, 2, 1, Map.of()), node, Tags.collective(1, 0, 0), 1000);
        TransportNode any = open(0, 1, 1, Map.of(TcpOptions.ADDRESS.property(), "127.0.0.1"));
        assertTrue(new String(any.address(), StandardCharsets.UTF_8).matches("127\\.0\\.0\\.1:[1-9][0-9]*"));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldRefuseDiallerNamingAnotherJobWhenCommunicatorIdDiffers() {
        TransportNode ours = open(0, 2, 0xAAAAL, Map.of());
        TransportNode theirs = open(1, 2, 0xBBBBL, Map.of());
        long token = Tags.pointToPoint(0);
        ours.send(theirs, token, 0, ByteBuffer.allocateDirect(1), 0, 1, token);
        driver.awaitUntil(() -> ours.handler.hasFailureOf(1) && theirs.handler.hasFailureOf(-1), WAIT_MS,
                () -> "refusal reported on both sides");
        assertCause(ours.handler, 1, "another job");
        assertCause(ours.handler, 1, "rank 1 at 127.0.0.1:");
        assertCause(theirs.handler, -1, "another job");
        assertCause(theirs.handler, -1, "rank 1 refused a connection");
        assertEquals(1, theirs.handler.failures().size(), theirs.handler.failures()::toString);
        assertEquals(0, theirs.handler.completedMessages(), "a refused dialler's data was delivered");
        driver.awaitUntil(() -> ours.isSendDone(token), WAIT_MS, () -> "the send to the refusing rank dropped");
        assertEquals(SendState.COPIED, ours.sendState(token), "a send to a failed peer is dropped as COMPLETE");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldRefuseDiallerWhenItReachedAnotherRankThanItDialled() {
        TransportNode a = open(0, 3, 7, Map.of());
        TransportNode b = open(1, 3, 7, Map.of());
        // a believes rank 2 lives at b's address: the rendezvous store was mixed up.
        a.send(2, b.address(), Tags.pointToPoint(0), 0, ByteBuffer.allocateDirect(1), 0, 1, 0);
        driver.awaitUntil(() -> a.handler.hasFailureOf(2), WAIT_MS, () -> "refusal of the wrong rank");
        assertCause(a.handler, 2, "dialled rank 2 but reached rank 1");
        assertEquals(0, b.handler.completedMessages(), "a misdirected message was delivered");
    }

    /** The failure of {@code rank} is a {@link PeerFailureException} of that rank whose message contains {@code text}. */
    private static void assertCause(RecordingHandler handler, int rank, String text) {
        RecordingHandler.Failure failure = handler.failures().stream().filter(f -> f.peerRank == rank).findFirst()
                .orElseThrow(() -> new AssertionError("no failure of rank " + rank));
        PeerFailureException cause = assertInstanceOf(PeerFailureException.class, failure.cause);
        assertEquals(rank, cause.peerRank());
        assertTrue(cause.getMessage().contains(text), cause::getMessage);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldOpenOneConnectionPerLaneSlotWhenSeveralConnectionsPerPeer() {
        Map<String, String> three = connectionsPerPeer(3);
        TransportNode from = open(0, 2, 3, three);
        TransportNode to = open(1, 2, 3, three);
        for (int lane = 0; lane < 6; lane++) {
            assertDelivers(from, to, Tags.collective(5, lane, 0), 1000 + lane);
        }
        assertEquals(3, tcp(from).openChannelCount(), "dialled connections");
        assertEquals(3, tcp(to).openChannelCount(), "accepted connections");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldCarryBothDirectionsOnTheLowerRanksConnections() {
        Map<String, String> three = connectionsPerPeer(3);
        TransportNode low = open(0, 2, 4, three);
        TransportNode high = open(1, 2, 4, three);
        for (int lane = 0; lane < 6; lane++) {
            assertDelivers(low, high, Tags.collective(7, lane, 0), 100 + lane);
            assertDelivers(high, low, Tags.collective(7, lane, 0), 9000 + lane);
        }
        assertEquals(3, tcp(low).openChannelCount(), "sockets of rank 0 (the dialler)");
        assertEquals(3, tcp(high).openChannelCount(), "sockets of rank 1 (both ways over rank 0's dials)");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldDialItselfWhenTheLowerRankNeverConnects() {
        // Rank 0 only receives: it never calls connect, so rank 1 dials after the grace, and rank 0's
        // later sends reuse those sockets.
        Map<String, String> two = connectionsPerPeer(2);
        TransportNode low = open(0, 2, 6, two);
        TransportNode high = open(1, 2, 6, two);
        for (int lane = 0; lane < 4; lane++) {
            assertDelivers(high, low, Tags.collective(3, lane, 0), 50_000 + lane);
        }
        assertEquals(2, tcp(high).openChannelCount(), "sockets rank 1 dialled");
        for (int lane = 0; lane < 4; lane++) {
            assertDelivers(low, high, Tags.collective(3, lane, 0), 70_000 + lane);
        }
        assertEquals(2, tcp(low).openChannelCount(), "rank 0 sends over rank 1's sockets rather than dialling");
        assertEquals(2, tcp(high).openChannelCount(), "sockets of rank 1 after rank 0 sent");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldRefuseADiallerWithMoreConnectionsPerPeer() {
        TransportNode a = open(0, 2, 8, connectionsPerPeer(2));
        TransportNode b = open(1, 2, 8, connectionsPerPeer(1));
        a.send(1, b.address(), Tags.collective(1, 1, 0), 0, ByteBuffer.allocateDirect(1), 0, 1, 0);
        driver.awaitUntil(() -> a.handler.hasFailureOf(1), WAIT_MS, () -> "refusal of connection index 1");
        assertCause(a.handler, 1, "uses 1 connections per peer (set " + TcpOptions.CONNECTIONS_PER_PEER.property());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldDeliverOnLoopThreadOnlyWhenTwoIoThreadsServeTheSockets() {
        // Two connections per peer over two I/O threads: one of each node's sockets is served by the
        // loop that is not the engine's, so its fragments and completions must be passed over.
        Map<String, String> options = Map.of(TcpOptions.IO_THREADS.property(), "2",
                TcpOptions.CONNECTIONS_PER_PEER.property(), "2");
        TransportNode from = open(0, 2, 11, options);
        TransportNode to = open(1, 2, 11, options);
        int largeBytes = 16 * 1024 * 1024 + 3;
        long[] tags = {Tags.collective(1, 0, 0), Tags.collective(1, 1, 0), Tags.collective(1, 0, 1),
                Tags.collective(1, 1, 1)};
        int[] sizes = {largeBytes, largeBytes, 100, 0};
        for (int i = 0; i < tags.length; i++) {
            send(from, to, tags[i], sizes[i]);
        }
        for (long tag : tags) {
            awaitDelivery(from, to, tag);
        }
        for (int i = 0; i < tags.length; i++) {
            assertArrived(from, to, tags[i], sizes[i]);
        }
        for (TransportNode node : List.of(from, to)) {
            Thread loopThread = node.loopThread();
            assertTrue(loopThread.getName().startsWith("jccl-tcp-r" + node.rank + "-"), loopThread::getName);
            assertEquals(Set.of(loopThread), node.handler.deliveringThreads(), "rank " + node.rank);
            String pool = loopThread.getName().substring(0, loopThread.getName().lastIndexOf('-') + 1);
            long ioThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && t.getName().startsWith(pool)).count();
            assertEquals(2, ioThreads, "rank " + node.rank + ": both I/O threads should serve a socket");
        }
        assertEquals(List.of(), driver.violations());
    }

    private static boolean directWrites(TransportNode node) {
        return ((TcpTransport) node.transport).ioFlavour() == IoFlavour.EPOLL;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldFinishALargeSendThroughNettyWhenTheSocketTakesOnlyPartOfIt() {
        // A send buffer far smaller than the payload: the direct write stops part-way, Netty writes the rest.
        Map<String, String> small = Map.of(TcpOptions.SEND_BUFFER_BYTES.property(), "65536");
        TransportNode from = open(0, 2, 17, small);
        TransportNode to = open(1, 2, 17, small);
        from.scribbleWhenFree(true);
        assertDelivers(from, to, Tags.collective(1, 0, 0), 1);
        for (int i = 1; i <= 3; i++) {
            long tag = Tags.collective(1, 0, i);
            int bytes = (8 << 20) + 4 * i + 1;
            send(from, to, tag, bytes);
            awaitDelivery(from, to, tag);
            assertEquals(SendState.COMPLETED, from.sendState(tag), bytes + " bytes through a 64 KiB send buffer");
            assertArrived(from, to, tag, bytes);
        }
        driver.pauseFor(200);
        assertEquals(List.of(), driver.violations());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldCompleteAtOnceWhenPayloadIsAtCopyLimitButNotWhenOneByteAbove() {
        TransportNode from = open(0, 2, 13, Map.of());
        TransportNode to = open(1, 2, 13, Map.of());
        from.scribbleWhenFree(true); // the engine reuses its memory as soon as the transport frees it
        assertDelivers(from, to, Tags.collective(1, 0, 0), 1); // the connection is established from here on
        int backPressuredBefore = from.handler.backPressuredResults();

        long copied = Tags.collective(1, 0, 1);
        send(from, to, copied, 8192);
        awaitDelivery(from, to, copied);
        assertEquals(SendState.COPIED, from.sendState(copied), "8192 bytes must be copied and reported COMPLETE");
        assertTrue(from.handler.copiedSends().contains(copied));

        long inFlight = Tags.collective(1, 0, 2);
        send(from, to, inFlight, 8193);
        awaitDelivery(from, to, inFlight);
        // Sent from the caller's memory: with epoll straight into the socket when it takes it all
        // (complete at once), otherwise completed later by onSendComplete; never both.
        SendState state = from.sendState(inFlight);
        assertTrue(state == SendState.COMPLETED || state == SendState.COPIED && directWrites(from), "8193 bytes: " + state);

        driver.pauseFor(200); // a late duplicate completion would show up here
        assertArrived(from, to, copied, 8192);
        assertArrived(from, to, inFlight, 8193);
        assertEquals(backPressuredBefore, from.handler.backPressuredResults(),
                "sends on an established connection must not be back-pressured");
        assertEquals(List.of(), driver.violations());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldReuseWrapperAndHeaderFrameWhenLargeSendsRepeatFromOneBuffer() {
        TransportNode from = open(0, 2, 14, Map.of());
        TransportNode to = open(1, 2, 14, Map.of());
        int sizeBytes = 20_000;
        ByteBuffer memory = ByteBuffer.allocateDirect(OFFSET_BYTES + sizeBytes);
        for (int i = 0; i < 40; i++) {
            long tag = Tags.collective(1, 0, i);
            memory.put(OFFSET_BYTES, TestPayloads.bytes(tag, sizeBytes));
            from.send(to, tag, 42, memory, OFFSET_BYTES, sizeBytes, tag);
            awaitDelivery(from, to, tag);
            assertArrived(from, to, tag, sizeBytes);
            from.callOnLoop("the node's check of the freed memory", () -> null); // before it is rewritten
        }
        TcpConnection connection = (TcpConnection) from.connect(to);
        long created = from.callOnLoop("wrappers", connection::payloadWrappersCreated);
        // Only a collection that clears an idle wrapper makes another one.
        assertTrue(created >= 1 && created <= 5, "40 sends from one buffer made " + created + " wrappers");
        long frames = from.callOnLoop("frames", connection::framesCreated);
        assertTrue(frames >= 1 && frames <= 5, "40 headers took " + frames + " new frames instead of reusing them");

        // A read-only buffer cannot be wrapped for reuse; it still goes out intact, without a copy.
        long readOnly = Tags.collective(1, 0, 99);
        ByteBuffer source = TestPayloads.directWithGuards(TestPayloads.bytes(readOnly, sizeBytes), OFFSET_BYTES);
        from.send(to, readOnly, 42, source.asReadOnlyBuffer(), OFFSET_BYTES, sizeBytes, readOnly);
        awaitDelivery(from, to, readOnly);
        assertArrived(from, to, readOnly, sizeBytes);
        assertEquals(SendState.COMPLETED, from.sendState(readOnly));
        assertEquals(created, (long) from.callOnLoop("wrappers", connection::payloadWrappersCreated));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldLeaveNoSocketsOrThreadsWhenClosed() throws InterruptedException {
        File fds = new File("/proc/self/fd");
        assertTrue(fds.isDirectory(), "this test counts file descriptors in /proc (Linux)");
        for (String flavour : List.of("epoll", "nio")) {
            int before = Objects.requireNonNull(fds.list()).length;
            Map<String, String> options = Map.of(TcpOptions.NATIVE.property(), flavour,
                    TcpOptions.CONNECTIONS_PER_PEER.property(), "2");
            TransportNode a = open(0, 2, 9, options);
            TransportNode b = open(1, 2, 9, options);
            assertDelivers(a, b, Tags.collective(1, 0, 0), 10);
            assertDelivers(b, a, Tags.collective(1, 1, 0), 10);
            a.close();
            b.close();
            long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int after;
            long threads;
            do {
                Thread.sleep(10);
                after = Objects.requireNonNull(fds.list()).length;
                threads = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.isAlive() && t.getName().startsWith("jccl-tcp-")).count();
            } while ((after > before || threads > 0) && System.nanoTime() < deadlineNs);
            assertEquals(0, threads, flavour + ": event-loop threads left after close");
            assertTrue(after <= before, flavour + ": " + (after - before) + " file descriptors left after close");
        }
    }

    /** The option map that sets {@code jccl.tcp.connections.per.peer} to {@code n}. */
    private static Map<String, String> connectionsPerPeer(int n) {
        return Map.of(TcpOptions.CONNECTIONS_PER_PEER.property(), Integer.toString(n));
    }
}
