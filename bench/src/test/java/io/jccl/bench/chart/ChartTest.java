package io.jccl.bench.chart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.imageio.ImageIO;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class ChartTest {

    /** A saturating bandwidth curve from 8 B to 64 MiB, like a real sweep: low at small sizes. */
    private static Series rising(String name, double peakGBps, double latencyUs) {
        List<Series.Point> points = new ArrayList<>();
        for (int e = 3; e <= 26; e++) {
            long bytes = 1L << e;
            double timeUs = latencyUs + bytes / (peakGBps * 1e3);
            points.add(new Series.Point(bytes, bytes / (timeUs * 1e3), timeUs));
        }
        return new Series(name, points);
    }

    private static int rgb(BufferedImage image, double x, double y) {
        return image.getRGB((int) Math.floor(x), (int) Math.floor(y)) & 0xFFFFFF;
    }

    /** Whether {@code rgb} occurs within {@code radius} pixels of (x, y). */
    private static boolean colourNear(BufferedImage image, Point2D at, int radius, int rgb) {
        int cx = (int) Math.floor(at.getX());
        int cy = (int) Math.floor(at.getY());
        for (int x = cx - radius; x <= cx + radius; x++) {
            for (int y = cy - radius; y <= cy + radius; y++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Checks that the pixel at each marker's centre has its series' colour, except where a marker
     * of a later series (drawn on top) is so close that it may cover it.
     *
     * @return how many markers were checked
     */
    private static int assertMarkersVisible(BufferedImage image, Chart.PlotArea area, List<Series> series,
                                            Metric metric) {
        int checked = 0;
        for (int i = 0; i < series.size(); i++) {
            for (Series.Point p : series.get(i).points()) {
                Point2D at = area.pixel(p.sizeBytes(), metric.valueOf(p));
                boolean covered = false;
                for (int j = i + 1; j < series.size(); j++) {
                    for (Series.Point q : series.get(j).points()) {
                        covered |= at.distance(area.pixel(q.sizeBytes(), metric.valueOf(q))) < 10;
                    }
                }
                if (!covered) {
                    assertEquals(Chart.colorOf(i).getRGB() & 0xFFFFFF, rgb(image, at.getX(), at.getY()),
                            series.get(i).name() + " marker at " + p.sizeBytes() + " B is not visible");
                    checked++;
                }
            }
        }
        return checked;
    }

    private static int countColour(BufferedImage image, Rectangle2D area, int rgb) {
        int count = 0;
        for (int x = (int) area.getX(); x < (int) area.getMaxX(); x++) {
            for (int y = (int) area.getY(); y < (int) area.getMaxY(); y++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    count++;
                }
            }
        }
        return count;
    }

    @Test
    void shouldWriteReadablePngOfRequestedSizeWhenRendering() throws Exception {
        Chart chart = Chart.of("t", List.of(rising("a", 2, 25), rising("b", 1, 60)), List.of(Metric.BUS_BANDWIDTH));
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(chart.png()));
        assertNotNull(back, "ImageIO cannot read the PNG back");
        assertEquals(Chart.DEFAULT_WIDTH_PX, back.getWidth());
        assertEquals(Chart.DEFAULT_HEIGHT_PX, back.getHeight());
        BufferedImage small = new Chart("", List.of(rising("a", 2, 25)), List.of(Metric.TIME), 640, 400).render();
        assertEquals(640, small.getWidth());
        assertEquals(400, small.getHeight());
    }

    @Test
    void shouldDrawEverySeriesInItsColourWhenRendering() throws Exception {
        List<Series> series = List.of(rising("fast", 3, 20), rising("middle", 1.5, 40), rising("slow", 0.6, 80));
        Chart.Drawing drawing = Chart.of("three", series, List.of(Metric.BUS_BANDWIDTH)).draw();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(pngOf(drawing.image())));
        Chart.PlotArea area = drawing.panels().get(0);
        Rectangle2D plot = area.plot();
        assertTrue(plot.getX() > 0 && plot.getMaxX() < image.getWidth() && plot.getY() > 0
                && plot.getMaxY() < image.getHeight(), plot.toString());
        for (int i = 0; i < series.size(); i++) {
            int colour = Chart.colorOf(i).getRGB() & 0xFFFFFF;
            // Lines and markers, not just a legend swatch: hundreds of pixels of the colour.
            assertTrue(countColour(image, plot, colour) > 300, series.get(i).name());
        }
        // Small sizes crowd together near 0 GB/s; the rest must all show.
        assertTrue(assertMarkersVisible(image, area, series, Metric.BUS_BANDWIDTH) > 40);
        // The mapping itself: sizes evenly spaced per power of two, 0 GB/s on the bottom edge.
        double step = area.xPixel(16) - area.xPixel(8);
        assertTrue(step > 20, "step " + step);
        assertEquals(step, area.xPixel(64L << 20) - area.xPixel(32L << 20), 1e-6);
        assertEquals(plot.getMaxY(), area.yPixel(0), 1e-9);
        assertTrue(area.yPixel(3) > plot.getY(), "the largest value must be inside the plot");
    }

    @Test
    void shouldKeepLegendOffTheDataWhenCurvesFall() throws Exception {
        // Times that fall from the top left corner (95 ms, just under the 100 ms decade), where the
        // legend would usually go and hide the first points.
        List<Series.Point> a = new ArrayList<>();
        List<Series.Point> b = new ArrayList<>();
        for (int e = 3; e <= 26; e++) {
            double timeUs = 95_000 / Math.pow(1.4, e - 3);
            a.add(new Series.Point(1L << e, 1, timeUs));
            b.add(new Series.Point(1L << e, 1, timeUs / 4));
        }
        List<Series> series = List.of(new Series("falling a", a), new Series("falling b", b));
        Chart.Drawing drawing = Chart.of("", series, List.of(Metric.TIME)).draw();
        assertEquals(48, assertMarkersVisible(drawing.image(), drawing.panels().get(0), series, Metric.TIME));
    }

    @Test
    void shouldLeaveGapWhenValueIsMissing() {
        List<Series.Point> gappy = new ArrayList<>();
        List<Series.Point> whole = new ArrayList<>();
        for (int e = 10; e <= 20; e++) {
            double value = e - 9;
            gappy.add(new Series.Point(1L << e, e == 15 ? Double.NaN : value, 1));
            whole.add(new Series.Point(1L << e, value + 3, 1));
        }
        Chart.Drawing drawing = Chart.of("", List.of(new Series("gappy", gappy), new Series("whole", whole)),
                List.of(Metric.BUS_BANDWIDTH)).draw();
        Chart.PlotArea area = drawing.panels().get(0);
        // Halfway between the neighbours of the gap, where a joined line would pass.
        Point2D before = area.pixel(1L << 14, 5);
        Point2D after = area.pixel(1L << 16, 7);
        Point2D middle = new Point2D.Double((before.getX() + after.getX()) / 2, (before.getY() + after.getY()) / 2);
        assertFalse(colourNear(drawing.image(), middle, 2, Chart.colorOf(0).getRGB() & 0xFFFFFF));
        // The other series, with the same slope and no gap, does show there: the probe can see lines.
        Point2D control = new Point2D.Double(middle.getX(), area.yPixel(9));
        assertTrue(colourNear(drawing.image(), control, 2, Chart.colorOf(1).getRGB() & 0xFFFFFF));
        // And the gappy series' own line is there on both sides of the gap.
        Point2D left = area.pixel(Math.sqrt(2.0) * (1L << 12), 3.5);
        assertTrue(colourNear(drawing.image(), left, 2, Chart.colorOf(0).getRGB() & 0xFFFFFF));
    }

    @Test
    void shouldAlignPanelsAndUseLogTimeWhenTwoMetricsDrawn() {
        List<Series> series = List.of(rising("a", 2, 25), rising("b", 1, 60));
        Chart.Drawing drawing = Chart.of("", series, List.of(Metric.BUS_BANDWIDTH, Metric.TIME)).draw();
        assertEquals(Chart.DEFAULT_HEIGHT_PX + Chart.EXTRA_PANEL_HEIGHT_PX, drawing.image().getHeight());
        Chart.PlotArea bw = drawing.panels().get(0);
        Chart.PlotArea time = drawing.panels().get(1);
        assertEquals(bw.plot().getX(), time.plot().getX(), 1e-9);
        assertEquals(bw.plot().getWidth(), time.plot().getWidth(), 1e-9);
        assertTrue(time.plot().getY() > bw.plot().getMaxY());
        assertEquals(Axis.Scale.LOG10, time.y().scale());
        assertEquals(48, assertMarkersVisible(drawing.image(), time, series, Metric.TIME));
    }

    @Test
    void shouldGiveSameBytesWhenRenderedTwice() throws Exception {
        List<Series> series = List.of(rising("a", 2, 25));
        assertArrayEquals(Chart.of("same", series, List.of(Metric.TIME)).png(),
                Chart.of("same", series, List.of(Metric.TIME)).png());
    }

    @Test
    void shouldDrawEmptyAxesWhenThereIsNoData() throws Exception {
        Series nothing = new Series("empty", List.of(new Series.Point(0, 1, 1), new Series.Point(8, Double.NaN, 2)));
        Chart.Drawing drawing = Chart.of("", List.of(nothing), List.of(Metric.BUS_BANDWIDTH)).draw();
        assertEquals(Chart.DEFAULT_WIDTH_PX, drawing.image().getWidth());
        assertTrue(Chart.of("", List.of(), List.of(Metric.TIME)).png().length > 0);
    }

    @Test
    void shouldRunHeadlessWhenLoaded() {
        Chart.colorOf(0);
        assertEquals("true", System.getProperty("java.awt.headless"));
    }

    private static byte[] pngOf(BufferedImage image) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, "png", out));
        return out.toByteArray();
    }
}
