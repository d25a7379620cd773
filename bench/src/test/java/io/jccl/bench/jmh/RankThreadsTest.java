package io.jccl.bench.jmh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class RankThreadsTest {

    @ParameterizedTest
    @ValueSource(strings = {"loopback", "tcp"})
    void shouldStopPeersBlockedInACollectiveWhenRankZeroNeverJoins(String transport) throws Exception {
        RankThreads group = RankThreads.start(4, transport, Map.of());
        CountDownLatch entered = new CountDownLatch(3);
        group.startPeers(rank -> () -> {
            entered.countDown();
            group.comm(rank).barrier();
        });
        assertTrue(entered.await(20, TimeUnit.SECONDS));
        long start = System.nanoTime();
        group.close();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMs < 15_000, "close took " + tookMs + " ms");
        assertNull(group.peerFailure());
        assertEquals(List.of(), PeerThreads.alive());
    }

    @Test
    void shouldReportThePeerWhenItsCallFailsBeforeClose() throws Exception {
        RankThreads group = RankThreads.start(2, "loopback", Map.of());
        CountDownLatch failed = new CountDownLatch(1);
        group.startPeers(rank -> () -> {
            failed.countDown();
            throw new IllegalStateException("boom on rank " + rank);
        });
        assertTrue(failed.await(20, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (group.peerFailure() == null && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, group::close);
        assertTrue(e.getCause().getMessage().contains("rank 1"), e.getCause().getMessage());
        assertEquals(List.of(), PeerThreads.alive());
    }

    @Test
    void shouldRefuseAnEmptyWorldWhenStarting() {
        assertThrows(IllegalArgumentException.class, () -> RankThreads.start(0, "loopback", Map.of()));
    }
}
