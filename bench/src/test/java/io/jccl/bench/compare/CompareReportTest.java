package io.jccl.bench.compare;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class CompareReportTest {
    private static final long MIB64 = 64L << 20;

    /** Runs 1..k of one series: the i-th time goes with the i-th bandwidth. */
    private static void add(List<RawRow> rows, String library, String variant, int ranks, long bytes,
                            double[] timesUs, double[] busBw) {
        for (int i = 0; i < timesUs.length; i++) {
            rows.add(new RawRow(i + 1, library, variant, ranks, bytes, timesUs[i], busBw[i], timesUs[i] * 0.9));
        }
    }

    private static double[] d(double... v) {
        return v;
    }

    /** Three runs (two for Gloo at n=4), medians chosen to be easy to check by hand. */
    private static List<RawRow> synthetic() {
        List<RawRow> rows = new ArrayList<>();
        add(rows, "jccl", "tcp", 2, MIB64, d(200000, 150000, 170000), d(0.30, 0.40, 0.35));
        add(rows, "openmpi", "tcp", 2, MIB64, d(60000, 50000, 55000), d(1.0, 1.4, 1.2));
        add(rows, "gloo", "ring", 2, MIB64, d(80000, 90000, 85000), d(0.8, 0.7, 0.75));
        add(rows, "jccl", "tcp", 4, MIB64, d(400000, 380000, 420000), d(0.25, 0.26, 0.24));
        add(rows, "openmpi", "tcp", 4, MIB64, d(100000, 110000, 90000), d(1.0, 0.9, 1.1));
        add(rows, "gloo", "ring", 4, MIB64, d(250000, 270000), d(0.40, 0.36));
        add(rows, "jccl", "tcp", 4, 8, d(5000, 6000, 7000), d(0.0000012, 0.000001, 0.0000009));
        add(rows, "openmpi", "tcp", 4, 8, d(20, 30, 25), d(0.0006, 0.0004, 0.00048));
        add(rows, "jccl", "kernel", 1, 65536, d(21, 20, 23), d(3.0, 3.2, 2.8));
        add(rows, "c", "kernel", 1, 65536, d(4.4, 4.7, 4.5), d(15, 14, 14.5));
        add(rows, "jccl", "kernel", 1, 1 << 20, d(500), d(2.0));
        return rows;
    }

    @Test
    void shouldTakeMediansPerSeriesWhenRunsRepeat() {
        CompareReport report = new CompareReport(synthetic(), List.of());
        MedianRow jccl = report.find("jccl", "tcp", 4, 8).orElseThrow();
        assertEquals(3, jccl.runs());
        assertEquals(6000, jccl.timeUs());
        assertEquals(0.000001, jccl.busBwGBps());
        assertEquals(6000 * 0.9, jccl.p50Us(), 1e-9);
        MedianRow gloo = report.find("gloo", "ring", 4, MIB64).orElseThrow();
        assertEquals(2, gloo.runs());
        assertEquals((250000 + 270000) / 2.0, gloo.timeUs());
        assertEquals((0.40 + 0.36) / 2, gloo.busBwGBps(), 1e-12);
        assertTrue(report.find("gloo", "ring", 4, 8).isEmpty());
    }

    @Test
    void shouldDivideJcclByPeerWhenComputingRatios() {
        CompareReport report = new CompareReport(synthetic(), List.of());
        assertEquals(0.35 / 1.2, report.busBwRatio("openmpi-tcp", 2, MIB64), 1e-12);
        assertEquals(0.35 / 0.75, report.busBwRatio("gloo-ring", 2, MIB64), 1e-12);
        assertEquals(0.25 / 0.38, report.busBwRatio("gloo-ring", 4, MIB64), 1e-12);
        assertEquals(6000.0 / 25, report.timeRatio("openmpi-tcp", 4, 8), 1e-12);
        assertEquals(3.0 / 14.5, report.kernelRatio(65536), 1e-12);
        assertTrue(Double.isNaN(report.timeRatio("gloo-ring", 4, 8)));
        assertTrue(Double.isNaN(report.kernelRatio(1 << 20)));
    }

    @Test
    void shouldOrderKnownPeersFirstWhenListingPeers() {
        List<RawRow> rows = synthetic();
        rows.add(new RawRow(1, "aaa", "x", 2, MIB64, 1, 1, Double.NaN));
        rows.add(new RawRow(1, "gloo", "hd", 2, MIB64, 1, 1, Double.NaN));
        rows.add(new RawRow(1, "openmpi", "shm", 2, MIB64, 1, 1, Double.NaN));
        assertEquals(List.of("openmpi-tcp", "openmpi-shm", "gloo-ring", "gloo-hd", "aaa-x"),
                new CompareReport(rows, List.of()).peers());
    }

    @Test
    void shouldPrintOneRowPerRanksAndSizeWhenWritingMarkdown() {
        String md = new CompareReport(synthetic(), List.of("host: test box")).markdown();
        List<String> lines = Arrays.asList(md.split("\n"));
        assertTrue(lines.contains("host: test box  "), md);
        assertTrue(lines.contains("| n | size | JCCL time (µs) | JCCL busBW | OMPI-TCP busBW | JCCL/OMPI-TCP busBW"
                + " | JCCL/OMPI-TCP time | Gloo-ring busBW | JCCL/Gloo-ring busBW | JCCL/Gloo-ring time |"), md);
        assertTrue(lines.contains("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"), md);
        // 1e-6 / 4.8e-4 = 0.00208; 6000 / 25 = 240; Gloo was not run at 8 B.
        assertTrue(lines.contains("| 4 | 8 B | 6000 | 1.00e-06 | 4.80e-04 | 0.00208× | 240× | – | n/a | n/a |"), md);
        // 0.35 / 1.2 = 0.292, 170000 / 55000 = 3.09; 0.35 / 0.75 = 0.467, 170000 / 85000 = 2.00
        assertTrue(lines.contains("| 2 | 64 MiB | 170000 | 0.350 | 1.20 | 0.292× | 3.09× | 0.750 | 0.467× | 2.00× |"),
                md);
        long tableRows = lines.stream().filter(l -> l.matches("\\| [24] \\| .*")).count();
        assertEquals(3, tableRows, md); // n=2: 64 MiB; n=4: 8 B and 64 MiB
        assertTrue(lines.contains("| size | JCCL GB/s | C loop GB/s | JCCL/C |"), md);
        assertTrue(lines.contains("| --- | ---: | ---: | ---: |"), md);
        assertTrue(lines.contains("| 64 KiB | 3.00 | 14.5 | 0.207× |"), md);
        assertTrue(lines.contains("| 1 MiB | 2.00 | – | n/a |"), md);
    }

    @Test
    void shouldSummarizeHeadlineRatiosWhenWritingMarkdown() {
        String md = new CompareReport(synthetic(), List.of()).markdown();
        assertTrue(md.contains("- 64 MiB busBW, JCCL / OMPI-TCP: n=2 0.292×, n=4 0.250×\n"), md);
        assertTrue(md.contains("- 64 MiB busBW, JCCL / Gloo-ring: n=2 0.467×, n=4 0.658×\n"), md);
        assertTrue(md.contains("- 8 B latency, JCCL time / OMPI-TCP time at n=4: 240× (JCCL 6000 µs, OMPI-TCP 25.0 µs)\n"),
                md);
        assertTrue(md.contains("- Reduce kernel, JCCL GB/s / C loop GB/s: 64 KiB 0.207×, 1 MiB n/a, 16 MiB n/a\n"), md);
    }

    @Test
    void shouldReportLargestSpreadWhenRunsDisagree() {
        String noise = new CompareReport(synthetic(), List.of()).noiseLine();
        // OMPI-TCP n=4 8 B: (30 - 20) / 25 = 40 %; the eight allreduce spreads have median
        // ((60000 - 50000) / 55000 + (110000 - 90000) / 100000) / 2 = 19.1 %.
        assertTrue(noise.contains("allreduce time max 40.0% (openmpi-tcp n=4, 8 B), median 19.1%"), noise);
        // JCCL kernel 64 KiB: (3.2 - 2.8) / 3.0 = 13.3 %
        assertTrue(noise.contains("kernel GB/s max 13.3% (jccl, 64 KiB)"), noise);
    }

    @Test
    void shouldSayNoSpreadWhenThereIsOneRun() {
        List<RawRow> rows = List.of(new RawRow(1, "jccl", "tcp", 2, 8, 100, 0.001, 90));
        assertTrue(new CompareReport(rows, List.of()).noiseLine().startsWith("Noise: one run per row"));
    }

    @Test
    void shouldWriteMediansOnlyWhenWritingPoints() {
        String[] lines = new CompareReport(synthetic(), List.of()).pointsCsv().split("\n");
        assertEquals("series,bytes,busbw_gbps,time_us", lines[0]);
        List<String> series = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",");
            assertEquals(4, f.length, lines[i]);
            series.add(f[0] + "@" + f[1]);
        }
        assertEquals(List.of("jccl-tcp n=2@" + MIB64, "jccl-tcp n=4@8", "jccl-tcp n=4@" + MIB64,
                "openmpi-tcp n=2@" + MIB64, "openmpi-tcp n=4@8", "openmpi-tcp n=4@" + MIB64,
                "gloo-ring n=2@" + MIB64, "gloo-ring n=4@" + MIB64), series);
        String[] gloo4 = lines[8].split(",");
        assertEquals(0.38, Double.parseDouble(gloo4[2]), 1e-12);
        assertEquals(260000, Double.parseDouble(gloo4[3]), 1e-9);
        String[] jccl8 = lines[2].split(",");
        assertEquals(0.000001, Double.parseDouble(jccl8[2]), 1e-15);
        assertEquals(6000, Double.parseDouble(jccl8[3]), 1e-9);
    }

    @Test
    void shouldFormatSizesAndNumbersWhenRendering() {
        assertEquals("8 B", CompareReport.size(8));
        assertEquals("1000 B", CompareReport.size(1000));
        assertEquals("32 KiB", CompareReport.size(32768));
        assertEquals("64 MiB", CompareReport.size(MIB64));
        assertEquals("2 GiB", CompareReport.size(2L << 30));
        assertEquals("1.23", CompareReport.sig3(1.234));
        assertEquals("0.0123", CompareReport.sig3(0.01234));
        assertEquals("123457", CompareReport.sig3(123456.7));
        assertEquals("1.50e-05", CompareReport.sig3(0.000015));
        assertEquals("–", CompareReport.sig3(Double.NaN));
        assertEquals("n/a", CompareReport.ratioText(Double.NaN));
    }

    @Test
    void shouldImportJmhAndWriteFilesWhenRunFromCommandLine(@TempDir Path dir) throws IOException {
        Path raw = dir.resolve("raw.csv");
        List<String> lines = new ArrayList<>(List.of(RawCsv.HEADER));
        synthetic().stream().filter(r -> !r.library().equals("jccl") || !r.isKernel())
                .forEach(r -> lines.add(RawCsv.format(r)));
        Files.write(raw, lines);
        Path jmh = dir.resolve("jmh.csv");
        Files.write(jmh, List.of("\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\","
                        + "\"Unit\",\"Param: bytes\",\"Param: dtype\",\"Param: inPlace\",\"Param: op\"",
                "\"io.jccl.bench.jmh.ReduceKernelBenchmark.reduce:bytes\",\"thrpt\",1,5,2900000000,NaN,\"ops/s\","
                        + "65536,float32,false,sum"));
        assertEquals(0, CompareReport.run(new String[] {"--import-jmh", jmh.toString(), "--run", "1",
                "--raw", raw.toString()}));
        Path md = dir.resolve("report.md");
        Path points = dir.resolve("points.csv");
        assertEquals(0, CompareReport.run(new String[] {"--raw", raw.toString(), "--markdown", md.toString(),
                "--points", points.toString(), "--note", "n1"}));
        String report = Files.readString(md);
        // 2.9 GB/s imported for JCCL against the C loop's median 14.5
        assertTrue(report.contains("| 64 KiB | 2.90 | 14.5 | 0.200× |"), report);
        assertEquals("series,bytes,busbw_gbps,time_us", Files.readAllLines(points).get(0));
        assertEquals(2, CompareReport.run(new String[] {"--bogus", "x"}));
        assertEquals(2, CompareReport.run(new String[] {"--import-jmh", jmh.toString(), "--raw", raw.toString()}));
    }
}
