package io.jccl.transport.tcp;

import io.jccl.config.Configuration;
import io.jccl.spi.Tags;
import io.jccl.testkit.transport.RecordingHandler;
import io.jccl.testkit.transport.TestPayloads;
import io.jccl.testkit.transport.TestTransportContext;
import io.jccl.testkit.transport.TransportDriver;
import io.jccl.testkit.transport.TransportNode;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TCP-specific behaviour beyond the conformance suite: I/O flavour, options, handshake refusals, clean close. */
class TcpTransportTest {
    private static final long WAIT_MS = 20_000;
    private final List<TransportNode> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(TransportNode::close);
    }

    private TransportNode open(int rank, int worldSize, long communicatorId, Map<String, String> options) {
        Configuration configuration = Configuration.resolve(options, TcpOptions.all(), Map.of(), Map.of(), List.of());
        TestTransportContext context = new TestTransportContext(rank, worldSize, communicatorId, configuration);
        TransportNode node = new TransportNode(context, new TcpTransportProvider().open(context));
        opened.add(node);
        return node;
    }

    private static TcpTransport tcp(TransportNode node) {
        return (TcpTransport) node.transport;
    }

    /** Sends one message from nodes[0] to nodes[1] and checks it arrived intact. */
    private static void assertDelivers(List<TransportNode> nodes, long tag, int sizeBytes) {
        TransportNode from = nodes.get(0);
        TransportNode to = nodes.get(1);
        byte[] payload = TestPayloads.bytes(tag, sizeBytes);
        ByteBuffer memory = TestPayloads.directWithGuards(payload, 3);
        assertTrue(TransportDriver.send(nodes, from, from.connect(to), tag, 42, memory, 3, sizeBytes, tag, WAIT_MS));
        TransportDriver.pollUntil(nodes, () -> to.handler.message(from.rank, tag) != null && from.handler.completions(tag) == 1,
                WAIT_MS, () -> "message " + Tags.toString(tag));
        assertArrayEquals(payload, to.handler.message(from.rank, tag).bytes);
        assertEquals(List.of(), to.handler.violations());
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
        assertDelivers(nodes, Tags.collective(1, 0, 0), 300_001);
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
        assertDelivers(nodes, Tags.collective(2, 0, 0), 300_001);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldRejectNativeOptionWhenValueIsUnknown() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> open(0, 1, 1, Map.of(TcpOptions.NATIVE.property(), "kqueue")));
        assertTrue(e.getMessage().contains("jccl.tcp.native") && e.getMessage().contains("kqueue"), e.getMessage());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldListenOnConfiguredPortWhenAddressOptionHasPort() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        TransportNode node = open(0, 1, 1, Map.of(TcpOptions.ADDRESS.property(), "127.0.0.1:" + port));
        assertEquals("127.0.0.1:" + port, new String(node.address(), StandardCharsets.UTF_8));
        TransportNode any = open(0, 1, 1, Map.of(TcpOptions.ADDRESS.property(), "127.0.0.1"));
        assertTrue(new String(any.address(), StandardCharsets.UTF_8).matches("127\\.0\\.0\\.1:[1-9][0-9]*"));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldRefuseDiallerNamingAnotherJobWhenCommunicatorIdDiffers() {
        TransportNode ours = open(0, 2, 0xAAAAL, Map.of());
        TransportNode theirs = open(1, 2, 0xBBBBL, Map.of());
        List<TransportNode> nodes = List.of(ours, theirs);
        TransportDriver.send(nodes, ours, ours.connect(theirs), Tags.pointToPoint(0), 0, ByteBuffer.allocateDirect(1),
                0, 1, 0, WAIT_MS);
        TransportDriver.pollUntil(nodes, () -> ours.handler.hasFailureOf(1) && theirs.handler.hasFailureOf(-1),
                WAIT_MS, () -> "refusal reported on both sides");
        assertCause(ours.handler, 1, "another job");
        assertCause(theirs.handler, -1, "another job");
        assertEquals(0, theirs.handler.completedMessages(), "a refused dialler's data was delivered");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldRefuseDiallerWhenItReachedAnotherRankThanItDialled() {
        TransportNode a = open(0, 3, 7, Map.of());
        TransportNode b = open(1, 3, 7, Map.of());
        List<TransportNode> nodes = List.of(a, b);
        // a believes rank 2 lives at b's address: the rendezvous store was mixed up.
        TransportDriver.send(nodes, a, a.transport.connect(2, b.address()), Tags.pointToPoint(0), 0,
                ByteBuffer.allocateDirect(1), 0, 1, 0, WAIT_MS);
        TransportDriver.pollUntil(nodes, () -> a.handler.hasFailureOf(2), WAIT_MS, () -> "refusal of the wrong rank");
        assertCause(a.handler, 2, "dialled rank 2 but reached rank 1");
    }

    private static void assertCause(RecordingHandler handler, int rank, String text) {
        RecordingHandler.Failure failure = handler.failures().stream().filter(f -> f.peerRank == rank).findFirst()
                .orElseThrow();
        assertNotNull(failure.cause);
        assertTrue(failure.cause.getMessage().contains(text), failure.cause::getMessage);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldOpenOneConnectionPerLaneSlotWhenSeveralConnectionsPerPeer() {
        Map<String, String> three = Map.of(TcpOptions.CONNECTIONS_PER_PEER.property(), "3");
        List<TransportNode> nodes = List.of(open(0, 2, 3, three), open(1, 2, 3, three));
        for (int lane = 0; lane < 6; lane++) {
            assertDelivers(nodes, Tags.collective(5, lane, 0), 1000 + lane);
        }
        assertEquals(3, tcp(nodes.get(0)).openChannelCount(), "dialled connections");
        assertEquals(3, tcp(nodes.get(1)).openChannelCount(), "accepted connections");
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
            List<TransportNode> nodes = List.of(open(0, 2, 9, options), open(1, 2, 9, options));
            assertDelivers(nodes, Tags.collective(1, 0, 0), 10);
            assertDelivers(List.of(nodes.get(1), nodes.get(0)), Tags.collective(1, 1, 0), 10);
            nodes.forEach(TransportNode::close);
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
}
