package io.jccl.testkit;

import io.jccl.Communicator;
import io.jccl.DataType;
import io.jccl.ReduceOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine runs on the transport's progress thread, which also completes async futures: what a
 * continuation may do there, and what it must not (block on JCCL) without hanging anything.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProgressThreadTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void shouldRefuseBlockingCallWhenMadeFromAFutureContinuation() {
        try (Cluster cluster = Cluster.start(2, "loopback", Map.of("jccl.timeout.ms", "10000"), WAIT)) {
            CountDownLatch attached = new CountDownLatch(1);
            List<Throwable> refusals = cluster.run(WAIT, comm -> {
                ByteBuffer b = comm.allocate(4);
                AtomicReference<Throwable> refused = new AtomicReference<>();
                if (comm.rank() == 0) {
                    // Rank 1 joins only once the continuation is attached, so the call completes on
                    // rank 0's progress thread and the continuation runs there.
                    CompletableFuture<Void> f = comm.allReduceAsync(b, 1, DataType.FLOAT32, ReduceOp.SUM)
                            .thenRun(() -> {
                                try {
                                    comm.barrier();
                                } catch (RuntimeException e) {
                                    refused.set(e);
                                }
                            });
                    attached.countDown();
                    f.get(20, TimeUnit.SECONDS);
                } else {
                    assertTrue(attached.await(20, TimeUnit.SECONDS));
                    comm.allReduce(b, 1, DataType.FLOAT32, ReduceOp.SUM);
                }
                // The communicator is still usable afterwards.
                b.putFloat(0, comm.rank() + 1);
                comm.allReduce(b, 1, DataType.FLOAT32, ReduceOp.SUM);
                assertEquals(3f, b.getFloat(0));
                return refused.get();
            });
            Throwable t = refusals.get(0);
            assertInstanceOf(IllegalStateException.class, t);
            assertTrue(t.getMessage().contains("progress thread") && t.getMessage().contains("Async"), t::getMessage);
        }
    }

    @Test
    void shouldRunAsyncCallsChainedFromContinuations() {
        try (Cluster cluster = Cluster.start(3, "loopback", Map.of("jccl.timeout.ms", "10000"), WAIT)) {
            List<Float> results = cluster.run(WAIT, comm -> {
                ByteBuffer b = comm.allocate(4);
                b.putFloat(0, comm.rank() + 1);
                // The second call is submitted from the progress thread, inside the first one's completion.
                CompletableFuture<Void> chained = comm.allReduceAsync(b, 1, DataType.FLOAT32, ReduceOp.SUM)
                        .thenCompose(v -> comm.allReduceAsync(b, 1, DataType.FLOAT32, ReduceOp.SUM));
                chained.get(20, TimeUnit.SECONDS);
                return b.getFloat(0);
            });
            assertEquals(List.of(18f, 18f, 18f), results);
        }
    }

    @Test
    void shouldCloseWhenClosedFromAFutureContinuation() throws Exception {
        Cluster cluster = Cluster.start(2, "loopback", Map.of("jccl.timeout.ms", "10000"), WAIT);
        try {
            List<Communicator> closed = cluster.run(WAIT, comm -> {
                comm.barrierAsync().thenRun(comm::close).get(20, TimeUnit.SECONDS);
                return comm;
            });
            for (Communicator comm : closed) {
                IllegalStateException e = assertThrows(IllegalStateException.class, comm::barrier);
                assertNotNull(e.getMessage());
                assertTrue(e.getMessage().contains("closed"), e::getMessage);
            }
        } finally {
            cluster.close();
        }
    }
}
