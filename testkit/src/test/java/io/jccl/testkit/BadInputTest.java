package io.jccl.testkit;

import io.jccl.CollectiveMismatchException;
import io.jccl.Communicator;
import io.jccl.DataType;
import io.jccl.JcclException;
import io.jccl.JcclTimeoutException;
import io.jccl.PeerFailureException;
import io.jccl.ReduceOp;
import io.jccl.bootstrap.InMemoryStore;
import io.jccl.reduce.Reductions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input gets an exception naming the problem and the fix, before anything is sent; nothing hangs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadInputTest {
    private Cluster cluster;

    @BeforeAll
    void start() {
        cluster = Cluster.start(2, "loopback", Map.of("jccl.timeout.ms", "5000"), Duration.ofSeconds(20));
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    private static void assertMessage(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message lacks '" + f + "': " + e.getMessage());
        }
    }

    @Test
    void shouldNameTheFixWhenBufferIsOnHeapNullOrTooSmall() {
        Communicator c = cluster.comm(0);
        ByteBuffer direct = c.allocate(40);
        assertMessage(() -> c.allReduce(ByteBuffer.allocate(40), 10, DataType.FLOAT32, ReduceOp.SUM),
                "heap ByteBuffer", "allocateDirect");
        assertMessage(() -> c.allReduce(null, 10, DataType.FLOAT32, ReduceOp.SUM), "must not be null");
        assertMessage(() -> c.allReduce(direct, 11, DataType.FLOAT32, ReduceOp.SUM), "needs 44 bytes", "40 bytes");
        assertMessage(() -> c.allReduce(direct, -1, DataType.FLOAT32, ReduceOp.SUM), "count must be >= 0");
        assertMessage(() -> c.allGather(direct, c.allocate(40), 10, DataType.FLOAT32), "needs 80 bytes");
        assertMessage(() -> c.allReduce(ByteBuffer.allocateDirect(40), 10, DataType.FLOAT32, ReduceOp.SUM),
                "byte order", "nativeOrder");
        assertMessage(() -> c.allReduce(direct, direct.asReadOnlyBuffer(), 10, DataType.FLOAT32, ReduceOp.SUM),
                "read-only");
    }

    @Test
    void shouldRejectBitwiseOpOnFloatAndBadRootOrPeer() {
        Communicator c = cluster.comm(1);
        ByteBuffer b = c.allocate(64);
        assertMessage(() -> c.allReduce(b, 4, DataType.FLOAT32, ReduceOp.BXOR), "BXOR", "float32", "integer");
        assertMessage(() -> c.broadcast(b, 4, DataType.INT32, 2), "root 2", "0..1");
        assertMessage(() -> c.reduce(b, 4, DataType.INT32, ReduceOp.SUM, -1), "root -1");
        assertMessage(() -> c.send(b, 4, DataType.INT32, 1), "peer 1");
        assertMessage(() -> c.recv(b, 4, DataType.INT32, 5), "peer 5");
    }

    @Test
    void shouldFailFastWhenCommunicatorIsClosed() {
        try (Cluster one = Cluster.start(1, "loopback", Map.of(), Duration.ofSeconds(10))) {
            Communicator c = one.comm(0);
            c.close();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> c.allReduce(c.allocate(4), 1, DataType.FLOAT32, ReduceOp.SUM));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }

    @Test
    void shouldRejectUnknownOptionAndTransport() {
        assertMessage(() -> Communicator.builder().rank(0).worldSize(1).option("jccl.timout.ms", "5").build(),
                "jccl.timout.ms", "did you mean jccl.timeout.ms");
        assertMessage(() -> Communicator.builder().rank(0).worldSize(1).transport("carrier-pigeon")
                .store(new InMemoryStore(), "x").build(), "carrier-pigeon", "loopback");
        assertMessage(() -> Communicator.builder().rank(2).worldSize(2).build(), "out of range");
        assertMessage(() -> Communicator.builder().build(), "fromEnvironment");
    }

    @Test
    void shouldRejectBadKernelChoiceOrOneSetOnlyInCode() {
        assertMessage(() -> Communicator.builder().rank(0).worldSize(1).option("jccl.reduce.kernels", "fast")
                .build(), "fast", "auto, native, java");
        String other = Reductions.kernelMode().equals("java") ? "auto" : "java";
        assertMessage(() -> Communicator.builder().rank(0).worldSize(1).transport("loopback")
                .option("jccl.reduce.kernels", other).build(), "jccl.reduce.kernels=" + other, "once per JVM",
                "-Djccl.reduce.kernels");
    }

    @Test
    void shouldNameBothSizesWhenWorldSizesDisagree() throws Exception {
        InMemoryStore store = new InMemoryStore();
        CompletableFuture<Communicator> zero = CompletableFuture.supplyAsync(() -> Communicator.builder().rank(0)
                .worldSize(2).transport("loopback").store(store, "w").option("jccl.bootstrap.timeout.ms", "3000")
                .build());
        JcclException e = assertThrows(JcclException.class, () -> Communicator.builder().rank(1).worldSize(3)
                .transport("loopback").store(store, "w").option("jccl.bootstrap.timeout.ms", "3000").build());
        assertTrue(e.getMessage().contains("world size"), e.getMessage());
        Throwable t = assertThrows(Exception.class, () -> zero.get(10, TimeUnit.SECONDS));
        assertInstanceOf(JcclException.class, t.getCause());
    }

    @Test
    void shouldReportMismatchWhenRanksCallDifferentCounts() {
        try (Cluster c = Cluster.start(2, "loopback", Map.of("jccl.timeout.ms", "5000"), Duration.ofSeconds(20))) {
            var results = c.run(Duration.ofSeconds(30), comm -> {
                long count = comm.rank() == 0 ? 10 : 20;
                try {
                    comm.allReduce(comm.allocate(80), count, DataType.FLOAT32, ReduceOp.SUM);
                    return "completed";
                } catch (JcclException e) {
                    return e.getClass().getSimpleName() + ": " + e.getMessage();
                }
            });
            boolean sawMismatch = results.stream().anyMatch(r -> r.startsWith(
                    CollectiveMismatchException.class.getSimpleName()) && r.contains("rank"));
            assertTrue(sawMismatch, results::toString);
            assertFalse(results.contains("completed"), results::toString);
        }
    }

    @Test
    void shouldFailWithinTimeoutWhenPeerNeverCalls() {
        try (Cluster c = Cluster.start(2, "loopback", Map.of("jccl.timeout.ms", "1500"), Duration.ofSeconds(20))) {
            long start = System.nanoTime();
            JcclTimeoutException e = assertThrows(JcclTimeoutException.class,
                    () -> c.comm(0).allReduce(c.comm(0).allocate(40), 10, DataType.FLOAT32, ReduceOp.SUM));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(ms < 6000, "took " + ms + " ms");
            assertTrue(e.getMessage().contains("rank 1") && e.getMessage().contains("timed out"), e.getMessage());
            JcclException later = assertThrows(JcclException.class,
                    () -> c.comm(0).barrier());
            assertTrue(later.getMessage().contains("unusable"), later.getMessage());
        }
    }

    @Test
    void shouldFailQuicklyWhenPeerCloses() {
        try (Cluster c = Cluster.start(2, "loopback", Map.of("jccl.timeout.ms", "20000"), Duration.ofSeconds(20))) {
            CompletableFuture<Void> f = c.comm(0).allReduceAsync(c.comm(0).allocate(40), 10, DataType.FLOAT32,
                    ReduceOp.SUM);
            c.comm(1).close();
            long start = System.nanoTime();
            Throwable t = assertThrows(Exception.class, () -> f.get(10, TimeUnit.SECONDS)).getCause();
            assertInstanceOf(PeerFailureException.class, t, String.valueOf(t));
            assertTrue(t.getMessage().contains("rank 1") || t.getMessage().contains("Rank 1"), t.getMessage());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
        }
    }

    @Test
    void shouldAllocateNativeOrderedDirectBuffers() {
        ByteBuffer b = cluster.comm(0).allocate(16);
        assertTrue(b.isDirect());
        assertTrue(b.order() == ByteOrder.nativeOrder());
    }
}
