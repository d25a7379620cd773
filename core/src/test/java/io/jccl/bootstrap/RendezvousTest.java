package io.jccl.bootstrap;

import io.jccl.JcclException;
import io.jccl.JcclTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class RendezvousTest {
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(20);
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws InterruptedException {
        executor.shutdownNow();
        assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
    }

    /** A payload whose content and length both depend on the rank, so mix-ups show. */
    private static byte[] payloadOf(int rank) {
        return ("address of rank " + rank + "/" + "x".repeat(rank)).getBytes(StandardCharsets.UTF_8);
    }

    private List<Future<Rendezvous.Result>> startRanks(IntFunction<Store> storeOfRank, String prefix, int[] ranks,
                                                       int[] worldSizes, long timeoutNs) {
        List<Future<Rendezvous.Result>> futures = new ArrayList<>();
        for (int i = 0; i < ranks.length; i++) {
            int rank = ranks[i];
            int worldSize = worldSizes[i];
            futures.add(executor.submit(() ->
                    Rendezvous.exchange(storeOfRank.apply(rank), prefix, rank, worldSize, payloadOf(rank), timeoutNs)));
        }
        return futures;
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static int[] filled(int length, int value) {
        int[] a = new int[length];
        java.util.Arrays.fill(a, value);
        return a;
    }

    private static void assertExchanged(List<Future<Rendezvous.Result>> futures, int worldSize) throws Exception {
        Long id = null;
        for (Future<Rendezvous.Result> f : futures) {
            Rendezvous.Result result = f.get(20, TimeUnit.SECONDS);
            assertEquals(worldSize, result.payloads().length);
            for (int r = 0; r < worldSize; r++) {
                assertArrayEquals(payloadOf(r), result.payloads()[r], "payload of rank " + r);
            }
            if (id == null) {
                id = result.communicatorId();
            }
            assertEquals(id, result.communicatorId(), "every rank must derive the same communicator id");
        }
    }

    private static Throwable failureOf(Future<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
        return e.getCause();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 8})
    void shouldExchangePayloadsWhenRanksAreThreads(int worldSize) throws Exception {
        try (InMemoryStore store = new InMemoryStore()) {
            assertExchanged(startRanks(r -> store, "jccl/world", range(worldSize), filled(worldSize, worldSize),
                    TIMEOUT_NS), worldSize);
        }
    }

    @Test
    void shouldExchangePayloadsWhenEachRankHasItsOwnTcpClient() throws Exception {
        try (TcpStore host = TcpStore.host("127.0.0.1", 0)) {
            List<Store> stores = new ArrayList<>();
            stores.add(host);
            for (int r = 1; r < 3; r++) {
                stores.add(TcpStore.connect("127.0.0.1", host.port(), TIMEOUT_NS));
            }
            try {
                assertExchanged(startRanks(stores::get, "jccl/world", range(3), filled(3, 3), TIMEOUT_NS), 3);
            } finally {
                for (int r = 1; r < 3; r++) {
                    stores.get(r).close();
                }
            }
        }
    }

    @Test
    void shouldDeriveFreshCommunicatorIdWhenSameJobRunsAgain() throws Exception {
        long[] ids = new long[2];
        for (int job = 0; job < 2; job++) {
            try (InMemoryStore store = new InMemoryStore()) {
                List<Future<Rendezvous.Result>> f = startRanks(r -> store, "jccl/world", range(2), filled(2, 2), TIMEOUT_NS);
                ids[job] = f.get(0).get(20, TimeUnit.SECONDS).communicatorId();
                assertEquals(ids[job], f.get(1).get(20, TimeUnit.SECONDS).communicatorId());
            }
        }
        assertNotEquals(ids[0], ids[1], "identical payloads must still give a per-job id");
    }

    @Test
    void shouldKeepCommunicatorsApartWhenTheyShareAStore() throws Exception {
        try (InMemoryStore store = new InMemoryStore()) {
            List<Future<Rendezvous.Result>> a = startRanks(r -> store, "comm-a", range(3), filled(3, 3), TIMEOUT_NS);
            List<Future<Rendezvous.Result>> b = startRanks(r -> store, "comm-b", range(2), filled(2, 2), TIMEOUT_NS);
            assertExchanged(a, 3);
            assertExchanged(b, 2);
            assertNotEquals(a.get(0).get().communicatorId(), b.get(0).get().communicatorId());
        }
    }

    @Test
    void shouldRejectRankOutsideWorldSize() {
        try (InMemoryStore store = new InMemoryStore()) {
            JcclException high = assertThrows(JcclException.class,
                    () -> Rendezvous.exchange(store, "p", 4, 4, payloadOf(4), TIMEOUT_NS));
            assertTrue(high.getMessage().contains("Rank 4 is outside world size 4")
                    && high.getMessage().contains("0..3") && high.getMessage().contains("JCCL_RANK"), high.getMessage());
            JcclException negative = assertThrows(JcclException.class,
                    () -> Rendezvous.exchange(store, "q", -1, 4, payloadOf(0), TIMEOUT_NS));
            assertTrue(negative.getMessage().contains("Rank -1"), negative.getMessage());
            assertThrows(JcclException.class, () -> Rendezvous.exchange(store, "r", 0, 0, payloadOf(0), TIMEOUT_NS));
        }
    }

    @Test
    void shouldFailEveryRankQuicklyWhenWorldSizesDisagree() throws Exception {
        try (InMemoryStore store = new InMemoryStore()) {
            long start = System.nanoTime();
            Future<Rendezvous.Result> rank0 = startRanks(r -> store, "p", new int[] {0}, new int[] {8}, TIMEOUT_NS).get(0);
            store.get("p/worldSize", TimeUnit.SECONDS.toNanos(10));
            JcclException e = assertThrows(JcclException.class,
                    () -> Rendezvous.exchange(store, "p", 3, 4, payloadOf(3), TIMEOUT_NS));
            String expected = "Rank 3 says world size 4 but rank 0 registered world size 8: set the same JCCL_WORLD_SIZE on every rank";
            assertEquals(expected, e.getMessage());
            Throwable rank0Failure = failureOf(rank0);
            assertInstanceOf(JcclException.class, rank0Failure);
            assertTrue(rank0Failure.getMessage().contains(expected), rank0Failure.getMessage());
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsedMs < 10_000, "rank 0 should learn of the mismatch long before its 20 s timeout: " + elapsedMs);
        }
    }

    @Test
    void shouldRefuseSecondProcessClaimingTheSameRank() throws Exception {
        try (InMemoryStore store = new InMemoryStore()) {
            Future<Rendezvous.Result> first = startRanks(r -> store, "p", new int[] {2}, new int[] {3}, TIMEOUT_NS).get(0);
            store.get("p/rank/2", TimeUnit.SECONDS.toNanos(10));
            JcclException e = assertThrows(JcclException.class,
                    () -> Rendezvous.exchange(store, "p", 2, 3, payloadOf(2), TIMEOUT_NS));
            assertTrue(e.getMessage().startsWith("Two processes claim rank 2: pid "), e.getMessage());
            assertTrue(e.getMessage().contains("distinct JCCL_RANK"), e.getMessage());
            Throwable firstFailure = failureOf(first);
            assertTrue(firstFailure.getMessage().contains("Two processes claim rank 2"), firstFailure.getMessage());
        }
    }

    @Test
    void shouldNameMissingRanksWhenTheyNeverShowUp() {
        try (InMemoryStore store = new InMemoryStore()) {
            List<Future<Rendezvous.Result>> present = startRanks(r -> store, "p", new int[] {0, 2}, new int[] {4, 4},
                    TimeUnit.MILLISECONDS.toNanos(500));
            for (Future<Rendezvous.Result> f : present) {
                Throwable t = failureOf(f);
                assertInstanceOf(JcclTimeoutException.class, t);
                String m = t.getMessage();
                assertTrue(m.contains("rank(s) [1, 3]") && m.contains("world size 4") && m.contains("500 ms")
                        && m.contains("InMemoryStore") && m.contains("JCCL_MASTER_ADDR"), m);
            }
        }
    }

    @Test
    void shouldNameMasterAddressWhenRanksMissOverTcp() throws Exception {
        try (TcpStore host = TcpStore.host("127.0.0.1", 0)) {
            JcclTimeoutException e = assertThrows(JcclTimeoutException.class, () -> Rendezvous.exchange(host, "p", 0, 2,
                    payloadOf(0), TimeUnit.MILLISECONDS.toNanos(300)));
            String m = e.getMessage();
            assertTrue(m.contains("rank(s) [1]") && m.contains("127.0.0.1:" + host.port()) && m.contains("300 ms"), m);
        }
    }
}
