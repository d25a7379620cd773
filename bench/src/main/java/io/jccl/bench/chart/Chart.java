package io.jccl.bench.chart;

import javax.imageio.ImageIO;
import java.awt.AWTError;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A line chart of series against message size: message size on a log2 axis, and one panel per
 * {@link Metric} (bus bandwidth on a linear axis from 0, time per call on a log axis), stacked
 * vertically under a title. Each series gets a colour and a marker shape (so lines stay apart in
 * grey print), a line through its points with gaps where a value is missing, and an entry in a
 * legend that sits in the corner of the first panel with the fewest data points under it.
 *
 * <p>Drawing uses only Java2D and ImageIO, headless: loading this class sets
 * {@code java.awt.headless=true} unless the property was already set. The same chart gives the
 * same image (and, with the same JDK and fonts, the same PNG bytes).
 *
 * <p>Immutable and thread-safe; each {@link #render()} draws a new image.
 */
public final class Chart {
    static {
        // Before any AWT class looks at it: a benchmark host has no display.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    public static final int DEFAULT_WIDTH_PX = 1200;
    public static final int DEFAULT_HEIGHT_PX = 700;
    /** Extra height per additional panel in {@link #of}. */
    public static final int EXTRA_PANEL_HEIGHT_PX = 420;

    /** Matplotlib's "tab10" colours: distinct on white and familiar from other plots. */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
    };
    private static final int MARKER_SHAPES = 5;
    private static final double MARKER_SIZE_PX = 9;
    private static final float LINE_WIDTH_PX = 2.2f;

    private static final Color TEXT = new Color(0x222222);
    private static final Color AXIS = new Color(0x555555);
    private static final Color GRID_MAJOR = new Color(0xdadada);
    private static final Color GRID_MINOR = new Color(0xf0f0f0);
    private static final Color LEGEND_BORDER = new Color(0xc8c8c8);

    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 21);
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    private static final int MARGIN_PX = 16;
    private static final int TICK_LENGTH_PX = 5;
    private static final int PANEL_GAP_PX = 24;
    /** Minimum room per label on the size axis ("256K" is about 35 px in the tick font). */
    private static final int SIZE_LABEL_SPACING_PX = 58;
    private static final int Y_TICK_SPACING_PX = 48;

    private final String title;
    private final List<Series> series;
    private final List<Metric> panels;
    private final int widthPx;
    private final int heightPx;

    /**
     * @param title    the line above the panels (may be empty)
     * @param series   the lines, drawn in this order; colours follow the order
     * @param panels   one panel per metric, top to bottom; at least one
     * @param widthPx  image width, at least 300
     * @param heightPx image height, at least 200 per panel
     */
    public Chart(String title, List<Series> series, List<Metric> panels, int widthPx, int heightPx) {
        this.title = Objects.requireNonNull(title, "title");
        this.series = List.copyOf(series);
        this.panels = List.copyOf(panels);
        if (this.panels.isEmpty()) {
            throw new IllegalArgumentException("a chart needs at least one panel (metric)");
        }
        if (widthPx < 300 || heightPx < 200 * this.panels.size() || widthPx > 20_000 || heightPx > 20_000) {
            throw new IllegalArgumentException("chart size " + widthPx + "x" + heightPx + " is out of range: need"
                    + " 300..20000 wide and 200..20000 high with at least 200 per panel");
        }
        this.widthPx = widthPx;
        this.heightPx = heightPx;
    }

    /** A chart of the default size: 1200×700 for one panel, {@link #EXTRA_PANEL_HEIGHT_PX} more per extra panel. */
    public static Chart of(String title, List<Series> series, List<Metric> panels) {
        return new Chart(title, series, panels, DEFAULT_WIDTH_PX,
                DEFAULT_HEIGHT_PX + EXTRA_PANEL_HEIGHT_PX * Math.max(0, panels.size() - 1));
    }

    /** The colour of the series at {@code index} (colours repeat after ten series; marker shapes differ). */
    public static Color colorOf(int index) {
        return PALETTE[Math.floorMod(index, PALETTE.length)];
    }

    /** Draws the chart into a new RGB image of the chart's size. */
    public BufferedImage render() {
        return draw().image();
    }

    /** The chart as PNG bytes. */
    public byte[] png() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(render(), "png", bytes)) {
                throw new IOException("this JVM has no PNG writer (javax.imageio)");
            }
        } catch (AWTError | LinkageError e) {
            // A JVM without fonts or native Java2D libraries: say so instead of dying with an Error.
            throw new IOException("cannot draw the chart in this JVM (Java2D unavailable): " + e, e);
        }
        return bytes.toByteArray();
    }

    /** Writes the chart as a PNG file, creating missing parent directories. */
    public void writePng(Path file) throws IOException {
        byte[] png = png();
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, png);
    }

    /** The image and where each panel's plot area ended up; package-private for tests. */
    Drawing draw() {
        BufferedImage image = new BufferedImage(widthPx, heightPx, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, widthPx, heightPx);

            int top = MARGIN_PX;
            if (!title.isEmpty()) {
                g.setFont(TITLE_FONT);
                FontMetrics fm = g.getFontMetrics();
                g.setColor(TEXT);
                String shown = fit(title, fm, widthPx - 2 * MARGIN_PX);
                g.drawString(shown, (float) (widthPx - fm.stringWidth(shown)) / 2, top + fm.getAscent());
                top += fm.getHeight() + 6;
            }
            double panelHeight = (heightPx - MARGIN_PX - top - PANEL_GAP_PX * (panels.size() - 1.0)) / panels.size();
            long[] sizeRange = sizeRange();
            List<Rectangle2D> regions = new ArrayList<>();
            List<Axis> valueAxes = new ArrayList<>();
            double plotLeft = 0;
            for (int i = 0; i < panels.size(); i++) {
                Rectangle2D region = new Rectangle2D.Double(MARGIN_PX, top + i * (panelHeight + PANEL_GAP_PX),
                        widthPx - 2.0 * MARGIN_PX, panelHeight);
                Axis y = valueAxis(panels.get(i), (int) Math.max(2, plotHeight(g, region) / Y_TICK_SPACING_PX));
                regions.add(region);
                valueAxes.add(y);
                // One left edge for every panel, so their size axes line up.
                plotLeft = Math.max(plotLeft, region.getX() + g.getFontMetrics(LABEL_FONT).getHeight() + 10
                        + widestMajorLabel(y, g.getFontMetrics(TICK_FONT)) + TICK_LENGTH_PX + 6);
            }
            List<PlotArea> areas = new ArrayList<>();
            for (int i = 0; i < panels.size(); i++) {
                PlotArea area = layOut(g, regions.get(i), valueAxes.get(i), plotLeft, sizeRange);
                drawPanel(g, area, panels.get(i), sizeRange != null, i == 0);
                areas.add(area);
            }
            return new Drawing(image, areas);
        } finally {
            g.dispose();
        }
    }

    /** Smallest and largest size with a value in some panel, or null when there is nothing to draw. */
    private long[] sizeRange() {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (Series s : series) {
            for (Series.Point p : s.points()) {
                if (p.sizeBytes() > 0 && panels.stream().anyMatch(m -> showable(m, m.valueOf(p)))) {
                    min = Math.min(min, p.sizeBytes());
                    max = Math.max(max, p.sizeBytes());
                }
            }
        }
        return max == 0 ? null : new long[] {min, max};
    }

    private static boolean showable(Metric metric, double value) {
        return Double.isFinite(value) && (metric.logarithmic() ? value > 0 : value >= 0);
    }

    /** The plot's top edge in {@code region}: room for half a tick label above the top tick. */
    private static double plotTop(Graphics2D g, Rectangle2D region) {
        return region.getY() + g.getFontMetrics(TICK_FONT).getAscent() / 2.0 + 4;
    }

    /** The plot's height in {@code region}: below it come tick marks, tick labels and the axis label. */
    private static double plotHeight(Graphics2D g, Rectangle2D region) {
        double bottom = region.getMaxY() - (TICK_LENGTH_PX + 4 + g.getFontMetrics(TICK_FONT).getHeight() + 6
                + g.getFontMetrics(LABEL_FONT).getHeight());
        return Math.max(20, bottom - plotTop(g, region));
    }

    /** Fixes the plot rectangle of one panel inside {@code region}, and its size axis. */
    private static PlotArea layOut(Graphics2D g, Rectangle2D region, Axis y, double plotLeft, long[] sizeRange) {
        double plotRight = region.getMaxX() - 14; // room for half the last size label
        double plotWidth = Math.max(20, plotRight - plotLeft);
        int maxSizeLabels = (int) Math.max(2, plotWidth / SIZE_LABEL_SPACING_PX);
        Axis x = sizeRange == null ? Axis.sizes(1, 1 << 20, maxSizeLabels)
                : Axis.sizes(sizeRange[0], sizeRange[1], maxSizeLabels);
        return new PlotArea(new Rectangle2D.Double(plotLeft, plotTop(g, region), plotWidth, plotHeight(g, region)),
                x, y);
    }

    private Axis valueAxis(Metric metric, int maxIntervals) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (Series.Point p : s.points()) {
                double v = metric.valueOf(p);
                if (p.sizeBytes() > 0 && showable(metric, v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (metric.logarithmic()) {
            return min <= max ? Axis.decades(min, max) : Axis.decades(1, 1000);
        }
        return Axis.linearFromZero(min <= max ? max : 0, maxIntervals);
    }

    private void drawPanel(Graphics2D g, PlotArea area, Metric metric, boolean hasData, boolean withLegend) {
        Rectangle2D plot = area.plot();
        drawGridAndAxes(g, area, metric);
        if (!hasData || series.stream().noneMatch(s -> s.points().stream()
                .anyMatch(p -> p.sizeBytes() > 0 && showable(metric, metric.valueOf(p))))) {
            g.setFont(LABEL_FONT);
            g.setColor(AXIS);
            String text = "no data";
            FontMetrics fm = g.getFontMetrics();
            g.drawString(text, (float) (plot.getCenterX() - fm.stringWidth(text) / 2.0), (float) plot.getCenterY());
        }
        Shape oldClip = g.getClip();
        // Lines stay inside the frame; markers may stick out by half their size at the edges.
        double slack = MARKER_SIZE_PX;
        g.clip(new Rectangle2D.Double(plot.getX() - slack, plot.getY() - slack, plot.getWidth() + 2 * slack,
                plot.getHeight() + 2 * slack));
        g.setStroke(new BasicStroke(LINE_WIDTH_PX, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        List<List<Point2D>> pixels = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            List<Point2D> seriesPixels = new ArrayList<>();
            Path2D line = new Path2D.Double();
            boolean penDown = false;
            for (Series.Point p : series.get(i).points()) {
                double v = metric.valueOf(p);
                if (p.sizeBytes() <= 0 || !showable(metric, v)) {
                    penDown = false; // a gap where the value is missing
                    seriesPixels.add(null);
                    continue;
                }
                Point2D at = area.pixel(p.sizeBytes(), v);
                seriesPixels.add(at);
                if (penDown) {
                    line.lineTo(at.getX(), at.getY());
                } else {
                    line.moveTo(at.getX(), at.getY());
                    penDown = true;
                }
            }
            g.setColor(colorOf(i));
            g.draw(line);
            pixels.add(seriesPixels);
        }
        // Markers after every line, so no line hides a point.
        g.setStroke(new BasicStroke(1.2f));
        for (int i = 0; i < series.size(); i++) {
            for (Point2D at : pixels.get(i)) {
                if (at != null) {
                    drawMarker(g, i, at.getX(), at.getY());
                }
            }
        }
        g.setClip(oldClip);
        if (withLegend && !series.isEmpty()) {
            drawLegend(g, plot, pixels);
        }
    }

    private void drawGridAndAxes(Graphics2D g, PlotArea area, Metric metric) {
        Rectangle2D plot = area.plot();
        g.setStroke(new BasicStroke(1f));
        FontMetrics tick = g.getFontMetrics(TICK_FONT);
        for (boolean major : new boolean[] {false, true}) {
            g.setColor(major ? GRID_MAJOR : GRID_MINOR);
            for (Axis.Tick t : area.x().ticks()) {
                if (t.major() == major) {
                    double px = area.xPixel(t.value());
                    g.draw(new Line2D.Double(px, plot.getY(), px, plot.getMaxY()));
                }
            }
            for (Axis.Tick t : area.y().ticks()) {
                if (t.major() == major) {
                    double py = area.yPixel(t.value());
                    g.draw(new Line2D.Double(plot.getX(), py, plot.getMaxX(), py));
                }
            }
        }
        g.setColor(AXIS);
        g.draw(new Line2D.Double(plot.getX(), plot.getMaxY(), plot.getMaxX(), plot.getMaxY()));
        g.draw(new Line2D.Double(plot.getX(), plot.getY(), plot.getX(), plot.getMaxY()));
        g.setFont(TICK_FONT);
        for (Axis.Tick t : area.x().majorTicks()) {
            double px = area.xPixel(t.value());
            g.setColor(AXIS);
            g.draw(new Line2D.Double(px, plot.getMaxY(), px, plot.getMaxY() + TICK_LENGTH_PX));
            g.setColor(TEXT);
            g.drawString(t.label(), (float) (px - tick.stringWidth(t.label()) / 2.0),
                    (float) (plot.getMaxY() + TICK_LENGTH_PX + 3 + tick.getAscent()));
        }
        for (Axis.Tick t : area.y().majorTicks()) {
            double py = area.yPixel(t.value());
            g.setColor(AXIS);
            g.draw(new Line2D.Double(plot.getX() - TICK_LENGTH_PX, py, plot.getX(), py));
            g.setColor(TEXT);
            g.drawString(t.label(), (float) (plot.getX() - TICK_LENGTH_PX - 4 - tick.stringWidth(t.label())),
                    (float) (py + tick.getAscent() / 2.0 - 2));
        }
        g.setFont(LABEL_FONT);
        FontMetrics label = g.getFontMetrics();
        String xLabel = "message size (bytes, log scale)";
        g.drawString(xLabel, (float) (plot.getCenterX() - label.stringWidth(xLabel) / 2.0),
                (float) (plot.getMaxY() + TICK_LENGTH_PX + 3 + tick.getHeight() + 6 + label.getAscent()));
        String yLabel = metric.axisLabel();
        AffineTransform saved = g.getTransform();
        double labelX = MARGIN_PX + label.getAscent(); // at the image's margin, the same in every panel
        g.translate(labelX, plot.getCenterY() + label.stringWidth(yLabel) / 2.0);
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, 0f, 0f);
        g.setTransform(saved);
    }

    private static int widestMajorLabel(Axis axis, FontMetrics fm) {
        int widest = 0;
        for (Axis.Tick t : axis.majorTicks()) {
            widest = Math.max(widest, fm.stringWidth(t.label()));
        }
        return widest;
    }

    private static void drawMarker(Graphics2D g, int seriesIndex, double x, double y) {
        double r = MARKER_SIZE_PX / 2;
        Shape shape;
        switch (seriesIndex % MARKER_SHAPES) {
            case 0:
                shape = new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r);
                break;
            case 1:
                shape = new Rectangle2D.Double(x - r * 0.9, y - r * 0.9, 1.8 * r, 1.8 * r);
                break;
            case 2:
                shape = polygon(x, y - r * 1.15, x + r * 1.1, y + r * 0.8, x - r * 1.1, y + r * 0.8);
                break;
            case 3:
                shape = polygon(x, y - r * 1.25, x + r * 1.1, y, x, y + r * 1.25, x - r * 1.1, y);
                break;
            default:
                shape = polygon(x, y + r * 1.15, x + r * 1.1, y - r * 0.8, x - r * 1.1, y - r * 0.8);
                break;
        }
        g.setColor(colorOf(seriesIndex));
        g.fill(shape);
        // A white rim keeps neighbouring markers and crossing lines apart.
        g.setColor(Color.WHITE);
        g.draw(shape);
    }

    private static Shape polygon(double... xy) {
        Path2D p = new Path2D.Double();
        p.moveTo(xy[0], xy[1]);
        for (int i = 2; i < xy.length; i += 2) {
            p.lineTo(xy[i], xy[i + 1]);
        }
        p.closePath();
        return p;
    }

    /** Draws the legend in the corner of {@code plot} that covers the fewest line and marker pixels. */
    private void drawLegend(Graphics2D g, Rectangle2D plot, List<List<Point2D>> pixels) {
        g.setFont(LEGEND_FONT);
        FontMetrics fm = g.getFontMetrics();
        int swatchPx = 30;
        int pad = 10;
        double rowHeight = Math.max(fm.getHeight(), MARKER_SIZE_PX + 4) + 3;
        double maxText = plot.getWidth() * 0.6 - swatchPx - 3 * pad;
        int textWidth = 0;
        List<String> names = new ArrayList<>();
        for (Series s : series) {
            String name = fit(s.name(), fm, maxText);
            names.add(name);
            textWidth = Math.max(textWidth, fm.stringWidth(name));
        }
        double boxWidth = pad + swatchPx + 8 + textWidth + pad;
        double boxHeight = pad * 2 + rowHeight * series.size() - 3;
        double inset = 12;
        Rectangle2D best = null;
        int bestCovered = Integer.MAX_VALUE;
        double[][] corners = {
            {plot.getX() + inset, plot.getY() + inset},
            {plot.getMaxX() - inset - boxWidth, plot.getY() + inset},
            {plot.getMaxX() - inset - boxWidth, plot.getMaxY() - inset - boxHeight},
            {plot.getX() + inset, plot.getMaxY() - inset - boxHeight},
        };
        for (double[] c : corners) {
            Rectangle2D box = new Rectangle2D.Double(c[0], c[1], boxWidth, boxHeight);
            int covered = covered(box, pixels);
            if (covered < bestCovered) {
                best = box;
                bestCovered = covered;
            }
        }
        g.setColor(new Color(255, 255, 255, 235));
        g.fill(best);
        g.setStroke(new BasicStroke(1f));
        g.setColor(LEGEND_BORDER);
        g.draw(best);
        for (int i = 0; i < series.size(); i++) {
            double rowTop = best.getY() + pad + i * rowHeight;
            double midY = rowTop + (rowHeight - 3) / 2;
            double x0 = best.getX() + pad;
            g.setColor(colorOf(i));
            g.setStroke(new BasicStroke(LINE_WIDTH_PX, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(new Line2D.Double(x0, midY, x0 + swatchPx, midY));
            g.setStroke(new BasicStroke(1.2f));
            drawMarker(g, i, x0 + swatchPx / 2.0, midY);
            g.setColor(TEXT);
            g.drawString(names.get(i), (float) (x0 + swatchPx + 8), (float) (midY + fm.getAscent() / 2.0 - 2));
        }
    }

    /** How many marker positions and points along the lines fall in {@code box} (grown by a few pixels). */
    private static int covered(Rectangle2D box, List<List<Point2D>> pixels) {
        Rectangle2D grown = new Rectangle2D.Double(box.getX() - 6, box.getY() - 6, box.getWidth() + 12,
                box.getHeight() + 12);
        int count = 0;
        for (List<Point2D> line : pixels) {
            Point2D previous = null;
            for (Point2D p : line) {
                if (p != null) {
                    count += grown.contains(p) ? 4 : 0; // a hidden marker is worse than a hidden bit of line
                    for (int k = 1; previous != null && k < 10; k++) {
                        double t = k / 10.0;
                        if (grown.contains(previous.getX() + t * (p.getX() - previous.getX()),
                                previous.getY() + t * (p.getY() - previous.getY()))) {
                            count++;
                        }
                    }
                }
                previous = p;
            }
        }
        return count;
    }

    /** {@code text}, shortened with an ellipsis to fit {@code maxWidthPx}. */
    private static String fit(String text, FontMetrics fm, double maxWidthPx) {
        if (fm.stringWidth(text) <= maxWidthPx) {
            return text;
        }
        String t = text;
        while (!t.isEmpty() && fm.stringWidth(t + "\u2026") > maxWidthPx) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "\u2026";
    }

    /** The drawn image and each panel's plot area, top to bottom. */
    record Drawing(BufferedImage image, List<PlotArea> panels) {
    }

    /**
     * Where a panel's data lands: the plot rectangle in image pixels and the two axes. Sizes grow
     * to the right, values upwards.
     */
    record PlotArea(Rectangle2D plot, Axis x, Axis y) {
        double xPixel(double sizeBytes) {
            return plot.getX() + x.fraction(sizeBytes) * plot.getWidth();
        }

        double yPixel(double value) {
            return plot.getMaxY() - y.fraction(value) * plot.getHeight();
        }

        Point2D pixel(double sizeBytes, double value) {
            return new Point2D.Double(xPixel(sizeBytes), yPixel(value));
        }
    }
}
