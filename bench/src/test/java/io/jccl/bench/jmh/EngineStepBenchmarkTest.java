package io.jccl.bench.jmh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Runs the engine benchmark's method a few times directly (setup, calls, teardown; not a JMH run):
 * the step counts are the ones the algorithms' shapes give, results are right, teardown ends every
 * peer thread.
 */
@Timeout(60)
class EngineStepBenchmarkTest {
    private static final int CALLS = 3;

    /**
     * Expected steps of rank 0: the dissemination barrier sends once, waits-and-forwards
     * {@code ceil(log2 n) - 1} times and waits once; recursive doubling (n a power of two) sends
     * and reduces once per round and slice; the one-element call uses one lane, the sliced one two
     * lanes of {@code 4096 / 2 / 16} slices of 64 bytes.
     */
    private static int expectedSteps(String workload, int ranks) {
        int rounds = 32 - Integer.numberOfLeadingZeros(ranks - 1);
        switch (workload) {
            case "barrier": return rounds + 1;
            case "allreduce_1": return 2 * rounds;
            default: return 2 * 128 * 2 * rounds;
        }
    }

    @ParameterizedTest
    @CsvSource({"2, barrier", "4, barrier", "2, allreduce_1", "4, allreduce_1", "2, allreduce_sliced",
            "4, allreduce_sliced"})
    void shouldCountPlannedStepsAndStopPeersWhenBenchmarkRunsDirectly(int ranks, String workload) {
        EngineStepBenchmark b = new EngineStepBenchmark();
        b.ranks = ranks;
        b.workload = workload;
        b.transport = "loopback";
        b.setUp();
        EngineStepBenchmark.Steps counter = new EngineStepBenchmark.Steps();
        try {
            for (int i = 0; i < CALLS; i++) {
                b.call(counter);
            }
            assertEquals(expectedSteps(workload, ranks), b.stepsPerCall());
            assertEquals((long) CALLS * b.stepsPerCall(), counter.steps);
            ByteBuffer out = b.output();
            if (workload.equals("barrier")) {
                assertNull(out);
            } else {
                int elements = workload.equals("allreduce_1") ? 1 : EngineStepBenchmark.SLICED_ELEMENTS;
                float sum = ranks * (ranks + 1) / 2f;
                for (int i = 0; i < elements; i++) {
                    assertEquals(sum, out.getFloat(i * Float.BYTES), "element " + i);
                }
            }
        } finally {
            b.tearDown();
        }
        assertEquals(List.of(), PeerThreads.alive());
    }

    @Test
    void shouldFailInSetupWhenWorkloadIsUnknown() {
        EngineStepBenchmark b = new EngineStepBenchmark();
        b.ranks = 2;
        b.workload = "gossip";
        b.transport = "loopback";
        assertThrows(IllegalArgumentException.class, b::setUp);
        assertEquals(List.of(), PeerThreads.alive());
    }
}
