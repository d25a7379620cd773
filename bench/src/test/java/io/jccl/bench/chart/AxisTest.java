package io.jccl.bench.chart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class AxisTest {

    private static List<String> labels(Axis axis) {
        return axis.majorTicks().stream().map(Axis.Tick::label).toList();
    }

    @Test
    void shouldUseBinaryUnitsWhenLabellingSizes() {
        assertEquals("8", Axis.sizeLabel(8));
        assertEquals("512", Axis.sizeLabel(512));
        assertEquals("1K", Axis.sizeLabel(1024));
        assertEquals("64K", Axis.sizeLabel(65536));
        assertEquals("1M", Axis.sizeLabel(1048576));
        assertEquals("64M", Axis.sizeLabel(67108864));
        assertEquals("3G", Axis.sizeLabel(3L * 1024 * 1024 * 1024));
        assertEquals("2T", Axis.sizeLabel(2L * 1024 * 1024 * 1024 * 1024));
        assertEquals("1536", Axis.sizeLabel(1536));
        assertEquals("0", Axis.sizeLabel(0));
    }

    @Test
    void shouldLabelEveryOtherPowerOfTwoWhenEveryPowerWouldCrowd() {
        Axis axis = Axis.sizes(8, 64L << 20, 19);
        // 2^3 .. 2^26 is 24 powers: too many for 19 labels, so every even exponent (12 labels).
        List<String> expected = new ArrayList<>();
        for (int e = 4; e <= 26; e += 2) {
            long bytes = 1L << e;
            String unit = e >= 20 ? (bytes >> 20) + "M" : e >= 10 ? (bytes >> 10) + "K" : Long.toString(bytes);
            expected.add(unit);
        }
        assertEquals(expected, labels(axis));
        assertEquals(List.of("16", "64", "256", "1K", "4K", "16K", "64K", "256K", "1M", "4M", "16M", "64M"),
                labels(axis));
        // A grid line at every power of two in range, labelled or not.
        assertEquals(24, axis.ticks().size());
        assertEquals(8.0, axis.ticks().get(0).value());
        assertEquals((double) (64L << 20), axis.ticks().get(23).value());
    }

    @Test
    void shouldLabelEveryPowerWhenRoomAllows() {
        List<String> l = labels(Axis.sizes(8, 64L << 20, 100));
        assertEquals(24, l.size());
        assertEquals("8", l.get(0));
        assertTrue(l.containsAll(List.of("1K", "64K", "1M", "64M")), l.toString());
    }

    @Test
    void shouldKeepKiloAndMegaLabelsWhenStrideGrows() {
        assertEquals(List.of("32", "1K", "32K", "1M", "32M"), labels(Axis.sizes(8, 64L << 20, 5)));
        assertEquals(List.of("1K", "1M", "1G"), labels(Axis.sizes(8, 4L << 30, 3)));
    }

    @Test
    void shouldPlacePowersOfTwoEvenlyWhenMappingSizes() {
        Axis axis = Axis.sizes(8, 64L << 20, 12);
        double span = 26 - 3 + 2 * Axis.SIZE_PADDING_LOG2;
        for (int e = 3; e <= 26; e++) {
            double expected = (e - 3 + Axis.SIZE_PADDING_LOG2) / span;
            assertEquals(expected, axis.fraction(Math.scalb(1.0, e)), 1e-12, "2^" + e);
        }
        assertTrue(Double.isNaN(axis.fraction(0)));
        assertEquals(8, axis.minValue() * Math.pow(2, Axis.SIZE_PADDING_LOG2), 1e-9);
    }

    @Test
    void shouldWidenRangeWhenOnlyOneSizeGiven() {
        Axis axis = Axis.sizes(1 << 20, 1 << 20, 10);
        assertTrue(axis.minValue() < (1 << 19) && axis.maxValue() > (2 << 20),
                axis.minValue() + ".." + axis.maxValue());
        assertTrue(labels(axis).contains("1M"), labels(axis).toString());
        assertEquals(0.5, axis.fraction(1 << 20), 1e-12);
    }

    @Test
    void shouldPickOneTwoTwoAndAHalfOrFiveWhenRoundingSteps() {
        assertEquals(1.0, Axis.niceStep(1.0), 1e-15);
        assertEquals(2.0, Axis.niceStep(1.01), 1e-15);
        assertEquals(0.25, Axis.niceStep(0.21), 1e-15);
        assertEquals(0.5, Axis.niceStep(0.3), 1e-15);
        assertEquals(0.5, Axis.niceStep(0.1 * 3), 1e-15);
        assertEquals(10.0, Axis.niceStep(7), 1e-15);
        assertEquals(0.002, Axis.niceStep(0.0013), 1e-15);
        assertEquals(5000.0, Axis.niceStep(2600), 1e-9);
    }

    @Test
    void shouldStartAtZeroAndEndAboveMaximumWhenLinear() {
        Axis axis = Axis.linearFromZero(1.9, 10);
        // 1.9 plus headroom over at most 10 steps: step 0.2 up to 2.0.
        List<String> expected = new ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            expected.add(String.format(java.util.Locale.ROOT, "%.1f", i * 0.2));
        }
        assertEquals(expected, labels(axis));
        assertEquals(0, axis.minValue());
        assertEquals(2.0, axis.maxValue(), 1e-12);
        assertEquals(0.5, axis.fraction(1.0), 1e-12);
        assertEquals(List.of("0", "5", "10", "15", "20", "25", "30", "35", "40"),
                labels(Axis.linearFromZero(37.5, 8)));
        assertEquals(List.of("0.00", "0.25", "0.50", "0.75", "1.00", "1.25"), labels(Axis.linearFromZero(1.2, 5)));
    }

    @Test
    void shouldShowZeroToOneWhenNoPositiveValue() {
        for (double max : new double[] {0, -3, Double.NaN}) {
            Axis axis = Axis.linearFromZero(max, 4);
            assertEquals(0, axis.minValue());
            assertEquals(1, axis.maxValue(), 1e-12);
            assertEquals("0.00", labels(axis).get(0));
        }
    }

    @Test
    void shouldCoverWholeDecadesWhenTimeIsLogarithmic() {
        Axis axis = Axis.decades(25, 85_000);
        assertEquals(List.of("10 \u00b5s", "100 \u00b5s", "1 ms", "10 ms", "100 ms"), labels(axis));
        assertEquals(4 * 8, axis.ticks().size() - axis.majorTicks().size());
        assertEquals(10, axis.minValue(), 1e-9);
        assertEquals(100_000, axis.maxValue(), 1e-6);
        assertEquals(0.5, axis.fraction(1000), 1e-12);
        assertFalse(axis.canShow(0));
        assertTrue(axis.canShow(1e-3));
        // A single value still gets at least one decade.
        Axis one = Axis.decades(100, 100);
        assertTrue(one.minValue() < 100 && one.maxValue() > 100);
    }

    @Test
    void shouldPickReadableUnitWhenLabellingTimes() {
        assertEquals("100 ns", Axis.timeLabel(0.1));
        assertEquals("1 \u00b5s", Axis.timeLabel(1));
        assertEquals("100 \u00b5s", Axis.timeLabel(100));
        assertEquals("1 ms", Axis.timeLabel(1000));
        assertEquals("10 s", Axis.timeLabel(1e7));
    }
}
