package io.jccl.bench.compare;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class StatsTest {

    @Test
    void shouldTakeMiddleValueWhenCountIsOdd() {
        assertEquals(5.0, Stats.median(9, 1, 5));
        assertEquals(3.0, Stats.median(3));
    }

    @Test
    void shouldAverageMiddleValuesWhenCountIsEven() {
        assertEquals((2.0 + 8.0) / 2, Stats.median(10, 2, 8, 1));
    }

    @Test
    void shouldIgnoreNaNWhenTakingMedian() {
        assertEquals(4.0, Stats.median(Double.NaN, 4, Double.NaN));
        assertTrue(Double.isNaN(Stats.median(Double.NaN)));
        assertTrue(Double.isNaN(Stats.median()));
    }

    @Test
    void shouldDivideRangeByMedianWhenComputingSpread() {
        // 90, 100, 120: range 30 over median 100
        assertEquals(0.3, Stats.relativeSpread(120, 90, 100), 1e-12);
        assertEquals(0.0, Stats.relativeSpread(7));
        assertTrue(Double.isNaN(Stats.relativeSpread(0, 0, 0)));
    }

    @Test
    void shouldGiveNaNRatioWhenASideIsMissingOrZero() {
        assertEquals(0.25, Stats.ratio(1, 4));
        assertTrue(Double.isNaN(Stats.ratio(Double.NaN, 4)));
        assertTrue(Double.isNaN(Stats.ratio(1, Double.NaN)));
        assertTrue(Double.isNaN(Stats.ratio(1, 0)));
    }
}
