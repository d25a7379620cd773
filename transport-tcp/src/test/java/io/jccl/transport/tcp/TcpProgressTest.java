package io.jccl.transport.tcp;

import io.jccl.Communicator;
import io.jccl.DataType;
import io.jccl.JcclTimeoutException;
import io.jccl.ReduceOp;
import io.jccl.testkit.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who runs the sockets ({@code jccl.tcp.progress}): blocking calls driven by their caller, async
 * calls by the loop's own thread, and every mix of the two, with both modes and both Netty flavours.
 * Results are checked against sums computed here.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TcpProgressTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static Cluster cluster(int n, String progress, String flavour) {
        return Cluster.start(n, "tcp", Map.of("jccl.timeout.ms", "20000", TcpOptions.PROGRESS.property(), progress,
                TcpOptions.NATIVE.property(), flavour), Duration.ofSeconds(30));
    }

    /** Element i of rank r's input in call k; the sum over ranks is computed by {@link #expected}. */
    private static float input(int call, int rank, int i) {
        return (call * 7 + rank * 3 + i) % 11 - 5;
    }

    private static float expected(int call, int n, int i) {
        float sum = 0;
        for (int r = 0; r < n; r++) {
            sum += input(call, r, i);
        }
        return sum;
    }

    private static ByteBuffer filled(Communicator comm, int call, int count) {
        ByteBuffer b = comm.allocate(4L * count);
        for (int i = 0; i < count; i++) {
            b.putFloat(4 * i, input(call, comm.rank(), i));
        }
        return b;
    }

    private static void check(ByteBuffer b, int call, int n, int count) {
        for (int i = 0; i < count; i++) {
            assertEquals(expected(call, n, i), b.getFloat(4 * i), "call " + call + ", element " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"caller/epoll", "thread/epoll", "auto/nio"})
    void shouldGiveTheReferenceSumsWhenBlockingAndAsyncCallsAreMixed(String mode) {
        String[] m = mode.split("/");
        int n = 3;
        int calls = 60;
        try (Cluster c = cluster(n, m[0], m[1])) {
            c.run(WAIT, comm -> {
                List<CompletableFuture<Void>> pending = new ArrayList<>();
                List<ByteBuffer> buffers = new ArrayList<>();
                List<Integer> counts = new ArrayList<>();
                for (int call = 0; call < calls; call++) {
                    // Sizes from empty to past the zero-copy thresholds; every third call async.
                    int count = new int[] {0, 1, 2, 97, 8_191, 100_003}[call % 6];
                    ByteBuffer b = filled(comm, call, count);
                    buffers.add(b);
                    counts.add(count);
                    if (call % 3 == 1) {
                        pending.add(comm.allReduceAsync(b, count, DataType.FLOAT32, ReduceOp.SUM));
                    } else {
                        comm.allReduce(b, count, DataType.FLOAT32, ReduceOp.SUM);
                        check(b, call, n, count);
                    }
                }
                for (CompletableFuture<Void> f : pending) {
                    f.get(30, TimeUnit.SECONDS);
                }
                for (int call = 0; call < calls; call++) {
                    check(buffers.get(call), call, n, counts.get(call));
                }
                return null;
            });
        }
    }

    @Test
    void shouldCompleteAsyncCallsWhileTheCallerDoesSomethingElse() {
        int n = 2;
        int count = 1_000;
        try (Cluster c = cluster(n, "caller", "epoll")) {
            c.run(WAIT, comm -> {
                ByteBuffer b = filled(comm, 5, count);
                CompletableFuture<Void> f = comm.allReduceAsync(b, count, DataType.FLOAT32, ReduceOp.SUM);
                // No JCCL call follows: the loop's own thread has to finish it.
                f.get(30, TimeUnit.SECONDS);
                check(b, 5, n, count);
                return null;
            });
        }
    }

    @Test
    void shouldRefuseABlockingCallFromAContinuationOnTheDrivingCaller() {
        try (Cluster c = cluster(2, "caller", "epoll")) {
            CountDownLatch attached = new CountDownLatch(1);
            List<Throwable> refusals = c.run(WAIT, comm -> {
                ByteBuffer b = comm.allocate(4);
                AtomicReference<Throwable> refused = new AtomicReference<>();
                if (comm.rank() == 0) {
                    CompletableFuture<Void> f = comm.allReduceAsync(b, 1, DataType.FLOAT32, ReduceOp.SUM)
                            .thenRun(() -> {
                                try {
                                    comm.barrier();
                                } catch (RuntimeException e) {
                                    refused.set(e);
                                }
                            });
                    attached.countDown();
                    f.get(30, TimeUnit.SECONDS);
                } else {
                    assertTrue(attached.await(30, TimeUnit.SECONDS));
                    comm.allReduce(b, 1, DataType.FLOAT32, ReduceOp.SUM);
                }
                b.putFloat(0, comm.rank() + 1);
                comm.allReduce(b, 1, DataType.FLOAT32, ReduceOp.SUM);
                assertEquals(3f, b.getFloat(0));
                return refused.get();
            });
            Throwable t = refusals.get(0);
            assertInstanceOf(IllegalStateException.class, t);
            assertTrue(t.getMessage().contains("Async"), t::getMessage);
        }
    }

    @Test
    void shouldTimeOutABlockingCallWhoseCallerDrivesWhenAPeerNeverJoins() {
        try (Cluster c = Cluster.start(2, "tcp", Map.of("jccl.timeout.ms", "1000",
                TcpOptions.PROGRESS.property(), "caller"), Duration.ofSeconds(30))) {
            long startNs = System.nanoTime();
            JcclTimeoutException e = assertThrows(JcclTimeoutException.class, () -> c.comm(0).allReduce(
                    c.comm(0).allocate(4), 1, DataType.FLOAT32, ReduceOp.SUM));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            assertTrue(tookMs >= 900 && tookMs < 5_000, "timed out after " + tookMs + " ms, expected about 1000");
            assertTrue(e.getMessage().contains("allreduce"), e::getMessage);
        }
    }

    @Test
    void shouldRejectAnUnknownOrImpossibleProgressModeNamingTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TcpTransport.callerDriven("fast", 1, IoFlavour.EPOLL));
        assertTrue(e.getMessage().contains(TcpOptions.PROGRESS.property()) && e.getMessage().contains("caller"),
                e::getMessage);
        IllegalArgumentException threads = assertThrows(IllegalArgumentException.class,
                () -> TcpTransport.callerDriven("caller", 2, IoFlavour.EPOLL));
        assertTrue(threads.getMessage().contains(TcpOptions.IO_THREADS.property()), threads::getMessage);
        IllegalArgumentException nio = assertThrows(IllegalArgumentException.class,
                () -> TcpTransport.callerDriven("caller", 1, IoFlavour.NIO));
        assertTrue(nio.getMessage().contains("epoll") && nio.getMessage().contains("interrupted"), nio::getMessage);
        assertEquals(false, TcpTransport.callerDriven("auto", 2, IoFlavour.EPOLL));
        assertEquals(false, TcpTransport.callerDriven("auto", 1, IoFlavour.NIO));
        assertEquals(true, TcpTransport.callerDriven(" Auto ", 1, IoFlavour.EPOLL));
        assertEquals(false, TcpTransport.callerDriven("thread", 1, IoFlavour.EPOLL));
    }

    @Test
    void shouldEndAnInterruptedBlockingCallWithAClearErrorAndKeepTheSocketsOpen() {
        try (Cluster c = cluster(2, "caller", "epoll")) {
            CountDownLatch interruptedCallFailed = new CountDownLatch(1);
            List<String> outcomes = c.run(WAIT, comm -> {
                ByteBuffer b = comm.allocate(4);
                String outcome = "completed";
                if (comm.rank() == 0) {
                    Thread.currentThread().interrupt();
                    try {
                        comm.allReduce(b, 1, DataType.FLOAT32, ReduceOp.SUM);
                    } catch (RuntimeException e) {
                        outcome = e.getMessage();
                    } finally {
                        Thread.interrupted();
                        interruptedCallFailed.countDown();
                    }
                } else {
                    assertTrue(interruptedCallFailed.await(30, TimeUnit.SECONDS));
                    comm.allReduce(b, 1, DataType.FLOAT32, ReduceOp.SUM);
                }
                // The call went on without its caller; the next one works over the same sockets.
                b.putFloat(0, comm.rank() + 1);
                comm.allReduce(b, 1, DataType.FLOAT32, ReduceOp.SUM);
                assertEquals(3f, b.getFloat(0));
                return outcome;
            });
            assertTrue(outcomes.get(0).contains("Interrupted"), outcomes.get(0));
        }
    }
}
