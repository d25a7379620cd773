package io.jccl.bench.perf;

import io.jccl.DataType;
import io.jccl.schedule.CollectiveKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class PerfCollectiveTest {

    @Test
    void shouldUseNcclTestsBusBandwidthFactorsWhenRanksVary() {
        for (int n : new int[] {1, 2, 3, 4, 8, 1000}) {
            assertEquals(2.0 * (n - 1) / n, PerfCollective.ALLREDUCE.busBandwidthFactor(n), 1e-15);
            assertEquals((n - 1) / (double) n, PerfCollective.ALLGATHER.busBandwidthFactor(n), 1e-15);
            assertEquals((n - 1) / (double) n, PerfCollective.REDUCESCATTER.busBandwidthFactor(n), 1e-15);
            assertEquals(1.0, PerfCollective.BROADCAST.busBandwidthFactor(n));
            assertEquals(1.0, PerfCollective.REDUCE.busBandwidthFactor(n));
        }
        assertEquals(1.5, PerfCollective.ALLREDUCE.busBandwidthFactor(4));
        assertEquals(0.75, PerfCollective.ALLGATHER.busBandwidthFactor(4));
        assertThrows(IllegalArgumentException.class, () -> PerfCollective.ALLREDUCE.busBandwidthFactor(0));
    }

    @Test
    void shouldRoundDownToWholeElementsWhenSizeIsNotAMultiple() {
        MessageShape s = PerfCollective.ALLREDUCE.shape(10, DataType.FLOAT32, 4);
        assertEquals(new MessageShape(8, 2, 2, 2, 2), s);
        assertEquals(new MessageShape(0, 0, 0, 0, 0), PerfCollective.BROADCAST.shape(7, DataType.FLOAT64, 3));
        assertEquals(new MessageShape(1000, 500, 500, 500, 500), PerfCollective.REDUCE.shape(1001, DataType.BFLOAT16, 3));
    }

    @Test
    void shouldRoundToMultipleOfRanksWhenCollectiveSplitsTheMessage() {
        // 100 bytes of float = 25 elements; 4 ranks -> 6 per rank, 24 in all, 96 bytes measured.
        MessageShape gather = PerfCollective.ALLGATHER.shape(100, DataType.FLOAT32, 4);
        assertEquals(new MessageShape(96, 6, 6, 24, 24), gather);
        MessageShape scatter = PerfCollective.REDUCESCATTER.shape(100, DataType.FLOAT32, 4);
        assertEquals(new MessageShape(96, 6, 24, 6, 24), scatter);
        assertEquals(new MessageShape(0, 0, 0, 0, 0), PerfCollective.ALLGATHER.shape(8, DataType.FLOAT32, 4));
        for (long bytes = 0; bytes < 300; bytes += 7) {
            for (int n = 1; n <= 5; n++) {
                MessageShape m = PerfCollective.ALLGATHER.shape(bytes, DataType.INT8, n);
                assertEquals(bytes / n, m.countElements());
                assertEquals(0, m.outputElements() % n);
                assertTrue(m.sizeBytes() <= bytes && m.sizeBytes() > bytes - n);
            }
        }
    }

    @Test
    void shouldParseNcclTestsSpellingsWhenNamingCollective() {
        assertEquals(PerfCollective.ALLREDUCE, PerfCollective.parse("allreduce"));
        assertEquals(PerfCollective.ALLREDUCE, PerfCollective.parse("all_reduce"));
        assertEquals(PerfCollective.ALLREDUCE, PerfCollective.parse("all_reduce_perf"));
        assertEquals(PerfCollective.REDUCESCATTER, PerfCollective.parse("Reduce-Scatter"));
        assertEquals(PerfCollective.ALLGATHER, PerfCollective.parse("all_gather"));
        assertEquals(PerfCollective.BROADCAST, PerfCollective.parse("broadcast"));
        assertEquals(PerfCollective.REDUCE, PerfCollective.parse("reduce"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PerfCollective.parse("alltoall"));
        assertTrue(e.getMessage().contains("allreduce, allgather, reducescatter, broadcast, reduce"), e.getMessage());
    }

    @Test
    void shouldMapToEngineKindsWhenAskingForAlgorithm() {
        assertEquals(CollectiveKind.ALL_REDUCE, PerfCollective.ALLREDUCE.kind());
        assertEquals(CollectiveKind.ALL_GATHER, PerfCollective.ALLGATHER.kind());
        assertEquals(CollectiveKind.REDUCE_SCATTER, PerfCollective.REDUCESCATTER.kind());
        assertEquals(CollectiveKind.BROADCAST, PerfCollective.BROADCAST.kind());
        assertEquals(CollectiveKind.REDUCE, PerfCollective.REDUCE.kind());
        for (PerfCollective c : PerfCollective.values()) {
            assertEquals(c.kind().key(), c.cliName());
        }
    }
}
