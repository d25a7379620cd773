package io.jccl.bench.jmh;

import io.jccl.schedule.Schedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the planning benchmark once per parameter set, directly, and checks the plan against what
 * the algorithm must move: elements received by the planned rank, and who it talks to.
 */
@Timeout(30)
class PlanningBenchmarkTest {
    private static final long COUNT = 1 << 20;

    private static PlanningBenchmark bench(String plan, int worldSize) {
        PlanningBenchmark b = new PlanningBenchmark();
        b.plan = plan;
        b.worldSize = worldSize;
        b.countElements = COUNT;
        b.setUp();
        return b;
    }

    private static long receivedElements(Schedule s) {
        long total = 0;
        for (int step = 0; step < s.stepCount(); step++) {
            if (s.kind(step).receives()) {
                total += s.count(step);
            }
        }
        return total;
    }

    @ParameterizedTest
    @CsvSource({"allreduce:ring, 4", "allreduce:ring, 64", "allreduce:ring, 1024",
            "allreduce:tree, 4", "allreduce:tree, 64", "allreduce:tree, 1024",
            "allreduce:recursive_doubling, 4", "allreduce:recursive_doubling, 64",
            "allreduce:recursive_doubling, 1024", "allgather:ring, 4", "allgather:ring, 64",
            "allgather:ring, 1024", "broadcast:tree, 4", "broadcast:tree, 64", "broadcast:tree, 1024"})
    void shouldPlanTheMiddleRankWithValidPeersWhenBenchmarkRunsOnce(String plan, int worldSize) {
        PlanningBenchmark b = bench(plan, worldSize);
        Schedule s = b.planSchedule();
        int rank = worldSize / 2;
        assertEquals(rank, s.rank());
        assertTrue(s.stepCount() > 0, plan + " planned no step");
        for (int step = 0; step < s.stepCount(); step++) {
            for (int peer : new int[] {s.recvPeer(step), s.sendPeer(step)}) {
                assertTrue(peer == -1 || (peer >= 0 && peer < worldSize && peer != rank),
                        "step " + step + " peer " + peer);
            }
        }
        // Counts divide evenly here (2^20 over 2 lanes and n ranks), so the totals are exact.
        long received = receivedElements(s);
        switch (plan) {
            case "allreduce:ring":
                assertEquals(2 * (worldSize - 1) * (COUNT / worldSize), received);
                for (int step = 0; step < s.stepCount(); step++) {
                    assertTrue(s.sendPeer(step) == -1 || s.sendPeer(step) == (rank + 1) % worldSize);
                    assertTrue(s.recvPeer(step) == -1 || s.recvPeer(step) == (rank - 1 + worldSize) % worldSize);
                }
                break;
            case "allreduce:recursive_doubling":
                assertEquals(Integer.numberOfTrailingZeros(worldSize) * COUNT, received);
                break;
            case "allgather:ring":
                assertEquals(b.spec().countElements(), COUNT / worldSize);
                assertEquals((worldSize - 1) * (COUNT / worldSize), received);
                break;
            case "broadcast:tree":
                assertEquals(COUNT, received);
                break;
            default:
                // Tree allreduce: an interior rank receives from children and from its parent.
                assertTrue(received >= COUNT, plan + " received " + received);
        }
    }

    @Test
    void shouldFailInSetupWhenPlanIsMalformedOrUnknown() {
        assertThrows(IllegalArgumentException.class, () -> bench("ring", 4));
        assertThrows(IllegalArgumentException.class, () -> bench("allreduce:carrier_pigeon", 4));
    }
}
