package io.jccl.bench.perf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class MeasurementTest {

    @Test
    void shouldComputeAlgorithmAndBusBandwidthWhenGivenSizeAndTime() {
        // 64 MiB in 10 ms: 6.7108864 GB/s; allreduce on 4 ranks moves 1.5x that over the bus.
        Measurement m = Measurement.of(PerfCollective.ALLREDUCE, 4, 64L << 20, 10_000_000, 0, 9_000_000, 12_000_000);
        assertEquals(10_000, m.timeUs(), 1e-9);
        assertEquals(67108864 / 1e9 / 0.010, m.algBwGBps(), 1e-9);
        assertEquals(m.algBwGBps() * 1.5, m.busBwGBps(), 1e-9);
        assertEquals(9_000, m.p50Us(), 1e-9);
        assertEquals(12_000, m.p99Us(), 1e-9);
        Measurement g = Measurement.of(PerfCollective.ALLGATHER, 8, 1_000_000_000, 1e9, 0, 0, 0);
        assertEquals(1.0, g.algBwGBps(), 1e-12);
        assertEquals(7.0 / 8, g.busBwGBps(), 1e-12);
        Measurement b = Measurement.of(PerfCollective.BROADCAST, 8, 1_000_000_000, 5e8, 0, 0, 0);
        assertEquals(2.0, b.busBwGBps(), 1e-12);
    }

    @Test
    void shouldReportZeroBandwidthWhenTimeIsZero() {
        Measurement m = Measurement.of(PerfCollective.REDUCE, 2, 0, 0, Measurement.NOT_CHECKED, 0, 0);
        assertEquals(0, m.algBwGBps());
        assertEquals(0, m.busBwGBps());
        assertFalse(m.failed());
        assertTrue(Measurement.of(PerfCollective.REDUCE, 2, 8, 5, 3, 0, 0).failed());
    }
}
