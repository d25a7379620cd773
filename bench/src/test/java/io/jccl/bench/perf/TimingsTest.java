package io.jccl.bench.perf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(10)
class TimingsTest {

    @Test
    void shouldUseNearestRankWhenComputingPercentiles() {
        long[] samples = new long[20];
        for (int i = 0; i < 20; i++) {
            samples[i] = (i * 7L) % 20 + 1; // 1..20, shuffled
        }
        long[] copy = samples.clone();
        assertEquals(10, Timings.percentile(samples, 20, 0.5));
        assertEquals(20, Timings.percentile(samples, 20, 0.99));
        assertEquals(1, Timings.percentile(samples, 20, 0.01));
        assertEquals(20, Timings.percentile(samples, 20, 1.0));
        assertArrayEquals(copy, samples, "samples must not be reordered");
        assertEquals(7, Timings.percentile(new long[] {7, 99}, 1, 0.99), "only the first sampleCount count");
        assertEquals(0, Timings.percentile(new long[0], 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> Timings.percentile(samples, 20, 0));
    }

    @Test
    void shouldKeepIterationsWhenSizeFitsTheBudget() {
        // 50 calls of 1 ms = 50 ms, well within 2 s.
        assertArrayEquals(new int[] {20, 5}, Timings.iterationsWithin(20, 5, 1_000_000, 2_000_000_000));
        assertArrayEquals(new int[] {20, 5}, Timings.iterationsWithin(20, 5, 40_000_000, 2_000_000_000));
        assertArrayEquals(new int[] {20, 5}, Timings.iterationsWithin(20, 5, 10_000_000_000L, 0));
    }

    @Test
    void shouldScaleBothCountsDownWhenSizeExceedsTheBudget() {
        // 50 calls of 100 ms = 5 s; budget 2 s -> scale 0.4.
        assertArrayEquals(new int[] {8, 2}, Timings.iterationsWithin(20, 5, 100_000_000, 2_000_000_000));
        // One call alone is over budget: still one timed call, no warm-up.
        assertArrayEquals(new int[] {1, 0}, Timings.iterationsWithin(20, 5, 3_000_000_000L, 2_000_000_000));
        for (long probeNs = 1_000_000; probeNs < 4_000_000_000L; probeNs *= 3) {
            int[] it = Timings.iterationsWithin(20, 5, probeNs, 2_000_000_000);
            long calls = 2L * (it[0] + it[1]);
            assertEquals(true, it[0] >= 1 && (calls * probeNs <= 2_000_000_000L || it[0] == 1), "probe " + probeNs);
        }
    }
}
