package io.jccl.bootstrap;

import io.jccl.JcclException;
import io.jccl.JcclTimeoutException;
import io.jccl.PeerFailureException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpStoreTest extends StoreContractTest {
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private final Map<Store, TcpStore> hostOf = new IdentityHashMap<>();

    /** A client of a fresh host, so the contract runs over the wire. */
    @Override
    protected Store openStore() {
        TcpStore host = closeLater(TcpStore.host("127.0.0.1", 0));
        TcpStore client = TcpStore.connect("127.0.0.1", host.port(), CONNECT_TIMEOUT_NS);
        hostOf.put(client, host);
        return client;
    }

    @Override
    protected Store openPeer(Store store) {
        return TcpStore.connect("127.0.0.1", hostOf.get(store).port(), CONNECT_TIMEOUT_NS);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void shouldShareStateWhenHostAndClientsUseIt() {
        TcpStore host = closeLater(TcpStore.host("127.0.0.1", 0));
        TcpStore client = closeLater(TcpStore.connect("127.0.0.1", host.port(), CONNECT_TIMEOUT_NS));
        assertTrue(host.isHost() && !client.isHost());
        host.set("from-host", bytes("h"));
        client.set("from-client", bytes("c"));
        assertEquals("c", new String(host.get("from-client", 0), StandardCharsets.UTF_8));
        assertEquals("h", new String(client.get("from-host", 0), StandardCharsets.UTF_8));
        assertEquals(2, host.add("n", 2));
        assertEquals(5, client.add("n", 3));
    }

    @Test
    void shouldTimeOutNamingMasterWhenNobodyListens() throws Exception {
        int port = freePort();
        long start = System.nanoTime();
        JcclTimeoutException e = assertThrows(JcclTimeoutException.class,
                () -> TcpStore.connect("127.0.0.1", port, TimeUnit.MILLISECONDS.toNanos(400)));
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        String m = e.getMessage();
        assertTrue(m.contains("127.0.0.1:" + port), m);
        assertTrue(m.contains("is rank 0 running?") && m.contains("JCCL_MASTER_ADDR/JCCL_MASTER_PORT"), m);
        assertTrue(elapsedMs >= 390 && elapsedMs < 5000, "took " + elapsedMs + " ms for a 400 ms timeout");
    }

    @Test
    void shouldConnectWhenHostStartsLater() throws Exception {
        int port = freePort();
        Future<TcpStore> host = executor().submit(() -> {
            Thread.sleep(300);
            return TcpStore.host("127.0.0.1", port);
        });
        try (TcpStore client = TcpStore.connect("127.0.0.1", port, CONNECT_TIMEOUT_NS)) {
            closeLater(host.get(10, TimeUnit.SECONDS));
            client.set("k", bytes("v"));
            assertEquals("v", new String(host.get().get("k", 0), StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldFailFastWhenServerClosesDuringGet() throws Exception {
        TcpStore host = TcpStore.host("127.0.0.1", 0);
        TcpStore client = closeLater(TcpStore.connect("127.0.0.1", host.port(), CONNECT_TIMEOUT_NS));
        Future<byte[]> waiting = executor().submit(() -> client.get("never", TimeUnit.SECONDS.toNanos(60)));
        Thread.sleep(200);
        long start = System.nanoTime();
        host.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertInstanceOf(PeerFailureException.class, e.getCause());
        String m = e.getCause().getMessage();
        assertTrue(m.contains("rank 0") && m.contains("'never'"), m);
        assertTrue(elapsedMs < 5000, "took " + elapsedMs + " ms to notice the server died");
        // The next call must fail quickly as well, not wait out the 10 s connect timeout.
        long nextStart = System.nanoTime();
        PeerFailureException next = assertThrows(PeerFailureException.class, () -> client.set("k", bytes("v")));
        long nextMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nextStart);
        assertTrue(next.getMessage().contains("127.0.0.1:" + host.port()) && next.getMessage().contains("rank 0"),
                next.getMessage());
        assertEquals(0, next.peerRank());
        assertTrue(nextMs < 5000, "took " + nextMs + " ms to report the dead server");
    }

    @Test
    void shouldFailFastWhenServerVanishesWithoutAnswering() throws Exception {
        // A listener that greets like a store and then drops every request: a crash mid-call.
        try (ServerSocket fake = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Future<?> server = executor().submit(() -> {
                try (Socket s = fake.accept()) {
                    s.getInputStream().readNBytes(8);
                    OutputStream out = s.getOutputStream();
                    out.write(new byte[] {0x4A, 0x43, 0x53, 0x4B, 0, 0, 0, 1});
                    out.flush();
                    s.getInputStream().read();
                }
                return null;
            });
            TcpStore client = closeLater(TcpStore.connect("127.0.0.1", fake.getLocalPort(), CONNECT_TIMEOUT_NS));
            PeerFailureException e = assertThrows(PeerFailureException.class,
                    () -> client.get("k", TimeUnit.SECONDS.toNanos(60)));
            assertTrue(e.getMessage().contains("rank 0"), e.getMessage());
            server.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldRefuseServerThatIsNotAStore() throws Exception {
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Future<?> server = executor().submit(() -> {
                try (Socket s = other.accept()) {
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                return null;
            });
            JcclException e = assertThrows(JcclException.class,
                    () -> TcpStore.connect("127.0.0.1", other.getLocalPort(), CONNECT_TIMEOUT_NS));
            assertTrue(e.getMessage().contains("not a JCCL TCP store"), e.getMessage());
            server.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldServeOtherClientsWhileOneWaits() throws Exception {
        TcpStore host = closeLater(TcpStore.host("127.0.0.1", 0));
        TcpStore waiter = closeLater(TcpStore.connect("127.0.0.1", host.port(), CONNECT_TIMEOUT_NS));
        TcpStore other = closeLater(TcpStore.connect("127.0.0.1", host.port(), CONNECT_TIMEOUT_NS));
        Future<byte[]> waiting = executor().submit(() -> waiter.get("go", TimeUnit.SECONDS.toNanos(20)));
        // The waiting client's own other threads are not blocked either.
        Future<byte[]> sameClient = executor().submit(() -> {
            waiter.set("side", bytes("s"));
            return waiter.get("side", 0);
        });
        assertEquals("s", new String(sameClient.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        for (int i = 0; i < 50; i++) {
            other.set("k" + i, bytes("v" + i));
            assertEquals(i + 1, other.add("count", 1));
        }
        other.set("go", bytes("now"));
        assertEquals("now", new String(waiting.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    }

    @Test
    void shouldServeManyConcurrentClients() throws Exception {
        TcpStore host = closeLater(TcpStore.host("127.0.0.1", 0));
        int clients = 32;
        int addsPerClient = 20;
        List<Future<Void>> results = runTogether(clients, c -> {
            try (TcpStore client = TcpStore.connect("127.0.0.1", host.port(), CONNECT_TIMEOUT_NS)) {
                client.set("client/" + c, bytes("hello " + c));
                for (int i = 0; i < addsPerClient; i++) {
                    client.add("total", 1);
                }
                for (int other = 0; other < clients; other++) {
                    assertEquals("hello " + other, new String(client.get("client/" + other, TimeUnit.SECONDS.toNanos(20)),
                            StandardCharsets.UTF_8));
                }
            }
            return null;
        });
        for (Future<Void> f : results) {
            f.get(25, TimeUnit.SECONDS);
        }
        assertEquals(clients * addsPerClient, host.add("total", 0));
    }

    @Test
    void shouldReleasePortWhenClosed() {
        TcpStore first = TcpStore.host("127.0.0.1", 0);
        int port = first.port();
        TcpStore client = TcpStore.connect("127.0.0.1", port, CONNECT_TIMEOUT_NS);
        client.set("k", bytes("v"));
        client.close();
        first.close();
        first.close();
        try (TcpStore second = TcpStore.host("127.0.0.1", port)) {
            assertEquals(port, second.port());
            assertThrows(JcclTimeoutException.class, () -> second.get("k", 0), "a new store starts empty");
        }
    }

    @Test
    void shouldNamePortAndFixWhenPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            taken.setReuseAddress(false);
            JcclException e = assertThrows(JcclException.class, () -> TcpStore.host("127.0.0.1", taken.getLocalPort()));
            assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort())
                    && e.getMessage().contains("JCCL_MASTER_PORT"), e.getMessage());
        }
    }

    @Test
    void shouldHostOnRankZeroAndConnectElsewhereWhenCreatedForRank() throws Exception {
        int port = freePort();
        try (TcpStore rank0 = TcpStore.forRank(0, "127.0.0.1", port, CONNECT_TIMEOUT_NS);
             TcpStore rank1 = TcpStore.forRank(1, "127.0.0.1", port, CONNECT_TIMEOUT_NS)) {
            assertTrue(rank0.isHost() && !rank1.isHost());
            rank1.set("k", bytes("v"));
            assertEquals("v", new String(rank0.get("k", 0), StandardCharsets.UTF_8));
            List<String> endpoints = new ArrayList<>(List.of(rank0.endpoint(), rank1.endpoint()));
            assertEquals(List.of("127.0.0.1:" + port, "127.0.0.1:" + port), endpoints);
        }
    }
}
