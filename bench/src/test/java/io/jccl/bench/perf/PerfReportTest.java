package io.jccl.bench.perf;

import io.jccl.bench.chart.Chart;
import io.jccl.bench.chart.PointsCsv;
import io.jccl.bench.chart.Series;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class PerfReportTest {

    private static PerfReport twoRowReport(String... extraArgs) {
        List<String> args = new java.util.ArrayList<>(List.of("allreduce", "-b", "8", "-e", "64M", "-f", "4", "-c", "1",
                "--option", "jccl.lanes=4"));
        args.addAll(List.of(extraArgs));
        PerfReport report = new PerfReport(PerfOptions.parse(args), 4, "tcp");
        report.add(new PerfRow(8, 2, "float32", "sum", -1, 20, 5, "ring",
                Measurement.of(PerfCollective.ALLREDUCE, 4, 8, 18_450, 0, 18_000, 25_000),
                Measurement.of(PerfCollective.ALLREDUCE, 4, 8, 17_890, 0, 17_500, 30_000)));
        report.add(new PerfRow(32L << 20, 8L << 20, "float32", "sum", -1, 4, 1, "ring",
                Measurement.of(PerfCollective.ALLREDUCE, 4, 32L << 20, 123_456_789, 0, 120_000_000, 130_000_000),
                Measurement.of(PerfCollective.ALLREDUCE, 4, 32L << 20, 100_000_000, 3, 99_000_000, 101_000_000)));
        return report;
    }

    @Test
    void shouldFormatTimesLikeNcclTestsWhenMagnitudeGrows() {
        assertEquals("   1.23", PerfReport.time(1.234));
        assertEquals("  99.99", PerfReport.time(99.99));
        assertEquals("  123.5", PerfReport.time(123.45));
        assertEquals(" 9999.9", PerfReport.time(9999.94));
        assertEquals("  12346", PerfReport.time(12345.6));
        assertEquals("1234568", PerfReport.time(1234567.8));
    }

    @Test
    void shouldKeepNcclTestsColumnOrderWhenPrintingRows() {
        PerfReport report = twoRowReport();
        String[] f = report.rowLine(report.rows().get(1)).trim().split("\\s+");
        // size count type redop root | time algbw busbw #wrong | time algbw busbw #wrong | p50 p99 p50 p99 iters algo
        assertEquals(19, f.length, String.join("|", f));
        assertEquals(Long.toString(32L << 20), f[0]);
        assertEquals(Long.toString(8L << 20), f[1]);
        assertEquals("float32", f[2]);
        assertEquals("sum", f[3]);
        assertEquals("-1", f[4]);
        assertEquals("123457", f[5]);
        double algBw = (32L << 20) / 123_456_789.0;
        assertEquals(String.format(java.util.Locale.ROOT, "%.2f", algBw), f[6]);
        assertEquals(String.format(java.util.Locale.ROOT, "%.2f", algBw * 1.5), f[7]);
        assertEquals("0", f[8]);
        assertEquals("100000", f[9]);
        assertEquals("3", f[12]);
        assertEquals("120000", f[13]);
        assertEquals("130000", f[14]);
        assertEquals("99000", f[15]);
        assertEquals("101000", f[16]);
        assertEquals("4", f[17]);
        assertEquals("ring", f[18]);
        // Columns line up with the header's labels.
        List<String> header = report.headerLines();
        String labels = header.get(header.size() - 2);
        String row = report.rowLine(report.rows().get(0));
        assertEquals(labels.indexOf("count") + "count".length(), row.indexOf(" 2 ") + 2);
        assertEquals(labels.indexOf("busbw") + "busbw".length(), row.indexOf("0.00", row.indexOf("0.00") + 1) + 4);
    }

    @Test
    void shouldDescribeRunWhenPrintingHeaderAndFooter() {
        PerfReport report = twoRowReport();
        List<String> header = report.headerLines();
        assertTrue(header.get(0).startsWith("# jccl-perf allreduce, 4 ranks, transport tcp, type float32, op sum"),
                header.get(0));
        assertTrue(header.get(1).contains("minBytes 8 maxBytes 67108864 step: 4(factor) warmup iters: 5 iters: 20"),
                header.get(1));
        assertTrue(header.get(2).contains("selected per size; options: jccl.lanes=4"), header.get(2));
        for (String line : header) {
            assertTrue(line.startsWith("#"), line);
        }
        List<String> footer = report.footerLines();
        assertEquals("# Wrong elements       : 3 FAILED", footer.get(0));
        double avg = (8 / 18_450.0 * 1.5 + 8 / 17_890.0 * 1.5 + (32L << 20) / 123_456_789.0 * 1.5
                + (32L << 20) / 100_000_000.0 * 1.5) / 4;
        assertEquals(String.format(java.util.Locale.ROOT, "# Avg bus bandwidth    : %.4f", avg), footer.get(1));
        assertEquals(avg, report.averageBusBandwidth(), 1e-12);
        assertEquals(3, report.totalWrong());
        String table = report.table();
        assertEquals(header.size() + 2 + footer.size(), table.split(System.lineSeparator()).length);
    }

    @Test
    void shouldSayNotCheckedWhenChecksAreOff() {
        PerfReport report = new PerfReport(PerfOptions.parse(List.of("broadcast", "-c", "0", "-r", "1")), 2, "tcp");
        Measurement m = Measurement.of(PerfCollective.BROADCAST, 2, 1024, 1000, Measurement.NOT_CHECKED, 900, 1100);
        report.add(new PerfRow(1024, 256, "float32", "none", 1, 20, 5, "ring", m, m));
        String[] f = report.rowLine(report.rows().get(0)).trim().split("\\s+");
        assertEquals("none", f[3]);
        assertEquals("1", f[4]);
        assertEquals("N/A", f[8]);
        assertEquals("N/A", f[12]);
        assertTrue(report.footerLines().get(0).contains("N/A"));
        assertTrue(report.headerLines().get(0).endsWith("root 1"), report.headerLines().get(0));
        assertTrue(report.csv().contains(",1.024,1.024,,0.9,1.1\n"), report.csv());
        Map<?, ?> json = (Map<?, ?>) MiniJson.parse(report.json());
        assertNull(json.get("wrongElements"));
        Map<?, ?> row = (Map<?, ?>) ((List<?>) json.get("results")).get(0);
        assertNull(((Map<?, ?>) row.get("inPlace")).get("wrong"));
    }

    @Test
    void shouldKeepSixSignificantDigitsWhenExportingNumbers() {
        assertEquals("0.0000215596", PerfReport.number(0.0000215596123));
        assertEquals("37115.4", PerfReport.number(37115.3913));
        assertEquals("123457000", PerfReport.number(123456789));
        assertEquals("1.5", PerfReport.number(1.5));
        assertEquals("0", PerfReport.number(0));
        assertEquals("null", PerfReport.number(Double.NaN));
    }

    @Test
    void shouldWriteOneCsvLinePerSizeWhenExporting() {
        String[] lines = twoRowReport().csv().split("\n");
        assertEquals(3, lines.length);
        String[] header = lines[0].split(",", -1);
        assertEquals(23, header.length);
        assertEquals("collective", header[0]);
        assertEquals("oop_busbw_gbps", header[13]);
        String[] second = lines[2].split(",", -1);
        assertEquals(header.length, second.length);
        assertEquals("allreduce", second[0]);
        assertEquals("4", second[1]);
        assertEquals(Long.toString(32L << 20), second[3]);
        assertEquals("ring", second[10]);
        assertEquals((32L << 20) / 123_456_789.0 * 1.5, Double.parseDouble(second[13]), 1e-6);
        assertEquals("0.407686", second[13]);
        assertEquals("3", second[20]);
    }

    @Test
    void shouldWriteOutOfPlaceAndInPlaceSeriesWhenExportingPoints() {
        PerfReport report = twoRowReport();
        List<Series> series = PointsCsv.parse(report.points(), "points");
        assertEquals(List.of("jccl allreduce tcp n=4 out-of-place", "jccl allreduce tcp n=4 in-place"),
                series.stream().map(Series::name).toList());
        Series oop = series.get(0);
        Series ip = series.get(1);
        assertEquals(List.of(8L, 32L << 20), oop.points().stream().map(Series.Point::sizeBytes).toList());
        // busbw = size / time * 2(n-1)/n, time in us; six significant digits in the file.
        assertEquals(8 / 18_450.0 * 1.5, oop.points().get(0).busBwGBps(), 1e-9);
        assertEquals(18.45, oop.points().get(0).timeUs(), 1e-9);
        assertEquals((32L << 20) / 100_000_000.0 * 1.5, ip.points().get(1).busBwGBps(), 1e-5);
        assertEquals(100_000, ip.points().get(1).timeUs(), 1e-9);

        List<Series> forced = new PerfReport(PerfOptions.parse(List.of("reducescatter", "-a", "ring", "-d", "int32")),
                3, "loopback").chartSeries();
        assertEquals("jccl reducescatter loopback n=3 algo=ring int32 out-of-place", forced.get(0).name());
        assertTrue(forced.get(0).points().isEmpty());
    }

    @Test
    void shouldDrawBusBandwidthChartWhenAsked() throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(twoRowReport().chart().png()));
        assertEquals(Chart.DEFAULT_WIDTH_PX, image.getWidth());
        assertEquals(Chart.DEFAULT_HEIGHT_PX, image.getHeight());
    }

    @Test
    void shouldWriteValidJsonWhenExporting() {
        PerfReport report = twoRowReport("-a", "tree \"x\"");
        Map<?, ?> json = (Map<?, ?>) MiniJson.parse(report.json());
        assertEquals("jccl-perf", json.get("tool"));
        assertEquals("allreduce", json.get("collective"));
        assertEquals(4.0, json.get("ranks"));
        assertEquals("tcp", json.get("transport"));
        assertEquals("sum", json.get("op"));
        assertEquals(-1.0, json.get("root"));
        assertEquals("tree \"x\"", json.get("algorithm"));
        assertEquals(Map.of("jccl.lanes", "4"), json.get("options"));
        assertEquals(true, json.get("check"));
        assertEquals(3.0, json.get("wrongElements"));
        List<?> results = (List<?>) json.get("results");
        assertEquals(2, results.size());
        Map<?, ?> big = (Map<?, ?>) results.get(1);
        assertEquals((double) (32L << 20), big.get("sizeBytes"));
        assertEquals(4.0, big.get("iterations"));
        Map<?, ?> oop = (Map<?, ?>) big.get("outOfPlace");
        assertEquals(123456.789, (Double) oop.get("timeUs"), 1.0); // six significant digits
        assertEquals((32L << 20) / 123_456_789.0 * 1.5, (Double) oop.get("busBwGBps"), 1e-4);
        assertEquals(0.0, oop.get("wrong"));
        assertEquals(report.averageBusBandwidth(), (Double) json.get("avgBusBandwidthGBps"), 1e-4);
        assertTrue(MiniJson.parse(new PerfReport(PerfOptions.parse(List.of("reduce")), 1, "tcp").json()) instanceof Map);
    }
}
