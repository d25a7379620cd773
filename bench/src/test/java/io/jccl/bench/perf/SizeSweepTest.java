package io.jccl.bench.perf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class SizeSweepTest {

    @Test
    void shouldMultiplyUntilMaxWhenFactorAboveOne() {
        List<Long> expected = new ArrayList<>();
        for (int k = 0; 8 * Math.pow(4, k) <= 64 * Math.pow(2, 20); k++) {
            expected.add((long) (8 * Math.pow(4, k)));
        }
        List<Long> sizes = SizeSweep.sizes(8, 64L << 20, 4, 1L << 20);
        assertEquals(expected, sizes);
        assertEquals(12, sizes.size()); // 8 B .. 32 MiB: 64 MiB is not a power of 4 times 8
        assertEquals(32L << 20, sizes.get(sizes.size() - 1));
    }

    @Test
    void shouldIncludeMaxWhenReachedExactly() {
        assertEquals(List.of(1024L, 2048L, 4096L), SizeSweep.sizes(1024, 4096, 2, 0));
    }

    @Test
    void shouldAddStepWhenFactorIsOne() {
        assertEquals(List.of(1000L, 1300L, 1600L, 1900L), SizeSweep.sizes(1000, 2000, 1, 300));
    }

    @Test
    void shouldMeasureOneSizeWhenMinEqualsMax() {
        assertEquals(List.of(32L << 20), SizeSweep.sizes(32L << 20, 32L << 20, 1, 1L << 20));
        assertEquals(List.of(0L), SizeSweep.sizes(0, 0, 2, 0));
    }

    @Test
    void shouldStopWithoutOverflowWhenMaxIsHuge() {
        List<Long> sizes = SizeSweep.sizes(1L << 60, Long.MAX_VALUE, 2, 0);
        assertEquals(List.of(1L << 60, 1L << 61, 1L << 62), sizes);
    }

    @Test
    void shouldRejectWhenSweepCannotProgress() {
        assertThrows(IllegalArgumentException.class, () -> SizeSweep.sizes(0, 100, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> SizeSweep.sizes(10, 100, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> SizeSweep.sizes(100, 10, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> SizeSweep.sizes(-1, 10, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> SizeSweep.sizes(1, 10, 0, 0));
    }

    @Test
    void shouldRejectWhenTooManySizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SizeSweep.sizes(1, 1L << 30, 1, 1));
        assertTrue(e.getMessage().contains("-f or -i"), e.getMessage());
    }
}
