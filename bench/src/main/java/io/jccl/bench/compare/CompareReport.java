package io.jccl.bench.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * The comparison report of {@code bench/compare/compare.sh}: from the raw results (every repetition of
 * every library, see {@link RawCsv}) one markdown table of JCCL against each peer per ranks × size, a
 * kernel table, a noise line and a summary of the headline ratios; and a points CSV of the medians
 * ({@value #POINTS_HEADER}) for charts.
 *
 * <p>Ratios: {@code busBW ratio = JCCL busBW / peer busBW} (above 1: JCCL moves data faster) and
 * {@code time ratio = JCCL time / peer time} (above 1: JCCL is slower). JCCL is the series
 * {@code jccl}/{@code tcp}; every other allreduce series is a peer.
 *
 * <p>Command line:
 * <pre>
 *   CompareReport --raw RAW.csv [--markdown OUT.md] [--points OUT.csv] [--note TEXT]...
 *   CompareReport --import-jmh JMH.csv --run R --raw RAW.csv
 * </pre>
 * The first prints the report (and writes the files given); the second appends the kernel rows of a
 * JMH result file ({@code -rf csv}) to the raw file. Exit status 2 on a usage error, 1 on bad data.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class CompareReport {
    /** The header of the points CSV, which the chart tool reads. */
    public static final String POINTS_HEADER = "series,bytes,busbw_gbps,time_us";

    static final String JCCL = "jccl";
    static final String JCCL_VARIANT = "tcp";
    static final String C_LOOP = "c";
    /** Known peers in report order, with their column labels; unknown peers follow alphabetically. */
    private static final Map<String, String> PEER_LABELS = orderedLabels(
            "openmpi-tcp", "OMPI-TCP", "openmpi-shm", "OMPI-shm", "gloo-ring", "Gloo-ring", "gloo-hd", "Gloo-HD");
    private static final long MIB = 1L << 20;

    private final List<MedianRow> medians;
    private final int maxRuns;
    private final List<String> notes;

    /**
     * @param rows  every raw row, any order
     * @param notes free text lines printed under the title (machine, versions); may be empty
     */
    public CompareReport(List<RawRow> rows, List<String> notes) {
        this.medians = MedianRow.of(rows);
        this.maxRuns = medians.stream().mapToInt(MedianRow::runs).max().orElse(0);
        this.notes = List.copyOf(notes);
    }

    public List<MedianRow> medians() {
        return medians;
    }

    /** Peers found in the data, in report order ({@code library-variant}). */
    public List<String> peers() {
        TreeSet<String> found = new TreeSet<>();
        for (MedianRow m : medians) {
            if (!isJccl(m.key()) && !m.key().variant().equals(RawRow.KERNEL_VARIANT)) {
                found.add(m.key().peerName());
            }
        }
        List<String> ordered = new ArrayList<>();
        PEER_LABELS.keySet().stream().filter(found::contains).forEach(ordered::add);
        found.stream().filter(p -> !PEER_LABELS.containsKey(p)).forEach(ordered::add);
        return ordered;
    }

    /** The median row of one series at one size, if it was measured. */
    public Optional<MedianRow> find(String library, String variant, int ranks, long bytes) {
        RawRow.SeriesKey key = new RawRow.SeriesKey(library, variant, ranks, bytes);
        return medians.stream().filter(m -> m.key().equals(key)).findFirst();
    }

    /** {@code JCCL busBW / peer busBW} at one point; {@code NaN} when either side is missing. */
    public double busBwRatio(String peer, int ranks, long bytes) {
        return ratio(peer, ranks, bytes, MedianRow::busBwGBps);
    }

    /** {@code JCCL time / peer time} at one point; {@code NaN} when either side is missing. */
    public double timeRatio(String peer, int ranks, long bytes) {
        return ratio(peer, ranks, bytes, MedianRow::timeUs);
    }

    /** {@code JCCL kernel GB/s / C loop GB/s} at one array size; {@code NaN} when either is missing. */
    public double kernelRatio(long bytes) {
        return Stats.ratio(value(JCCL, RawRow.KERNEL_VARIANT, 1, bytes, MedianRow::busBwGBps),
                value(C_LOOP, RawRow.KERNEL_VARIANT, 1, bytes, MedianRow::busBwGBps));
    }

    /** The whole report as markdown, ending with a line separator. */
    public String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# JCCL vs Open MPI and Gloo: fp32 SUM allreduce\n\n");
        notes.forEach(n -> b.append(n).append("  \n"));
        b.append("Median of ").append(maxRuns).append(maxRuns == 1 ? " run" : " runs")
                .append(" per row. time: mean per call, max over ranks (µs); busBW = size / time · 2(n−1)/n (GB/s, "
                        + "nccl-tests). busBW ratio = JCCL / peer (> 1: JCCL faster); time ratio = JCCL / peer "
                        + "(> 1: JCCL slower). JCCL: out of place, TCP on 127.0.0.1.\n\n");
        appendAllreduceTable(b);
        b.append('\n');
        appendKernelTable(b);
        b.append('\n').append(noiseLine()).append("\n\n");
        appendSummary(b);
        return b.toString();
    }

    /** Medians of every allreduce series, {@value #POINTS_HEADER}, one line per series and size. */
    public String pointsCsv() {
        List<String> order = new ArrayList<>();
        order.add(JCCL + "-" + JCCL_VARIANT);
        order.addAll(peers());
        StringBuilder b = new StringBuilder(POINTS_HEADER).append('\n');
        medians.stream().filter(m -> order.contains(m.key().peerName()))
                .sorted(Comparator.comparingInt((MedianRow m) -> order.indexOf(m.key().peerName()))
                        .thenComparingInt(m -> m.key().ranks()).thenComparingLong(m -> m.key().bytes()))
                .forEach(m -> b.append(m.key().seriesName()).append(',').append(m.key().bytes()).append(',')
                        .append(RawCsv.number(m.busBwGBps())).append(',').append(RawCsv.number(m.timeUs()))
                        .append('\n'));
        return b.toString();
    }

    private void appendAllreduceTable(StringBuilder b) {
        List<String> peers = peers();
        List<String> header = new ArrayList<>(List.of("n", "size", "JCCL time (µs)", "JCCL busBW"));
        for (String p : peers) {
            String label = label(p);
            header.add(label + " busBW");
            header.add("JCCL/" + label + " busBW");
            header.add("JCCL/" + label + " time");
        }
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<Integer, TreeSet<Long>> e : allreducePoints().entrySet()) {
            int ranks = e.getKey();
            for (long bytes : e.getValue()) {
                List<String> row = new ArrayList<>();
                row.add(Integer.toString(ranks));
                row.add(size(bytes));
                row.add(sig3(value(JCCL, JCCL_VARIANT, ranks, bytes, MedianRow::timeUs)));
                row.add(sig3(value(JCCL, JCCL_VARIANT, ranks, bytes, MedianRow::busBwGBps)));
                for (String p : peers) {
                    String[] lv = splitPeer(p);
                    row.add(sig3(value(lv[0], lv[1], ranks, bytes, MedianRow::busBwGBps)));
                    row.add(ratioText(busBwRatio(p, ranks, bytes)));
                    row.add(ratioText(timeRatio(p, ranks, bytes)));
                }
                rows.add(row);
            }
        }
        appendTable(b, 2, header, rows);
    }

    private void appendKernelTable(StringBuilder b) {
        b.append("Reduce kernel, fp32 sum dst = a + b, output GB/s (JCCL: JMH ReduceKernelBenchmark.reduce, "
                + "out of place; C: gcc -O3 -march=native loop):\n\n");
        TreeSet<Long> sizes = new TreeSet<>();
        medians.stream().filter(m -> m.key().variant().equals(RawRow.KERNEL_VARIANT))
                .forEach(m -> sizes.add(m.key().bytes()));
        List<List<String>> rows = new ArrayList<>();
        for (long bytes : sizes) {
            rows.add(List.of(size(bytes), sig3(value(JCCL, RawRow.KERNEL_VARIANT, 1, bytes, MedianRow::busBwGBps)),
                    sig3(value(C_LOOP, RawRow.KERNEL_VARIANT, 1, bytes, MedianRow::busBwGBps)),
                    ratioText(kernelRatio(bytes))));
        }
        appendTable(b, 1, List.of("size", "JCCL GB/s", "C loop GB/s", "JCCL/C"), rows);
    }

    /** Largest and median run-to-run spread of the rows, or a note that one run has none. */
    String noiseLine() {
        if (maxRuns < 2) {
            return "Noise: one run per row, so no spread to report (use --runs 3 or more).";
        }
        MedianRow worst = null;
        List<Double> spreads = new ArrayList<>();
        MedianRow worstKernel = null;
        for (MedianRow m : medians) {
            if (m.runs() < 2) {
                continue;
            }
            if (m.key().variant().equals(RawRow.KERNEL_VARIANT)) {
                if (worstKernel == null || m.busBwSpread() > worstKernel.busBwSpread()) {
                    worstKernel = m;
                }
            } else {
                spreads.add(m.timeSpread());
                if (worst == null || m.timeSpread() > worst.timeSpread()) {
                    worst = m;
                }
            }
        }
        StringBuilder b = new StringBuilder("Noise (spread = (max − min) / median over the runs of a row): ");
        if (worst == null) {
            b.append("no allreduce row has two runs");
        } else {
            b.append("allreduce time max ").append(percent(worst.timeSpread())).append(" (")
                    .append(worst.key().seriesName()).append(", ").append(size(worst.key().bytes()))
                    .append("), median ")
                    .append(percent(Stats.median(spreads.stream().mapToDouble(Double::doubleValue).toArray())));
        }
        if (worstKernel != null) {
            b.append("; kernel GB/s max ").append(percent(worstKernel.busBwSpread())).append(" (")
                    .append(worstKernel.key().library()).append(", ").append(size(worstKernel.key().bytes()))
                    .append(')');
        }
        return b.append('.').toString();
    }

    private void appendSummary(StringBuilder b) {
        b.append("## Summary\n\n");
        for (String peer : List.of("openmpi-tcp", "gloo-ring")) {
            b.append("- 64 MiB busBW, JCCL / ").append(label(peer)).append(": ");
            List<String> parts = new ArrayList<>();
            for (int ranks : new int[] {2, 4}) {
                parts.add("n=" + ranks + " " + ratioText(busBwRatio(peer, ranks, 64 * MIB)));
            }
            b.append(String.join(", ", parts)).append('\n');
        }
        double latency = timeRatio("openmpi-tcp", 4, 8);
        b.append("- 8 B latency, JCCL time / OMPI-TCP time at n=4: ").append(ratioText(latency));
        if (!Double.isNaN(latency)) {
            b.append(" (JCCL ").append(sig3(value(JCCL, JCCL_VARIANT, 4, 8, MedianRow::timeUs)))
                    .append(" µs, OMPI-TCP ").append(sig3(value("openmpi", "tcp", 4, 8, MedianRow::timeUs)))
                    .append(" µs)");
        }
        b.append('\n');
        b.append("- Reduce kernel, JCCL GB/s / C loop GB/s: ");
        List<String> parts = new ArrayList<>();
        for (long bytes : List.of(64L << 10, MIB, 16 * MIB)) {
            parts.add(size(bytes) + " " + ratioText(kernelRatio(bytes)));
        }
        b.append(String.join(", ", parts)).append('\n');
    }

    /** Ranks → sizes of every allreduce measurement, JCCL's or a peer's. */
    private TreeMap<Integer, TreeSet<Long>> allreducePoints() {
        TreeMap<Integer, TreeSet<Long>> points = new TreeMap<>();
        for (MedianRow m : medians) {
            if (!m.key().variant().equals(RawRow.KERNEL_VARIANT)) {
                points.computeIfAbsent(m.key().ranks(), r -> new TreeSet<>()).add(m.key().bytes());
            }
        }
        return points;
    }

    private double ratio(String peer, int ranks, long bytes, ToDoubleFunction<MedianRow> metric) {
        String[] lv = splitPeer(peer);
        return Stats.ratio(value(JCCL, JCCL_VARIANT, ranks, bytes, metric), value(lv[0], lv[1], ranks, bytes, metric));
    }

    private double value(String library, String variant, int ranks, long bytes, ToDoubleFunction<MedianRow> metric) {
        return find(library, variant, ranks, bytes).map(metric::applyAsDouble).orElse(Double.NaN);
    }

    private static boolean isJccl(RawRow.SeriesKey key) {
        return key.library().equals(JCCL) && key.variant().equals(JCCL_VARIANT);
    }

    private static String[] splitPeer(String peer) {
        int dash = peer.indexOf('-');
        return new String[] {peer.substring(0, dash), peer.substring(dash + 1)};
    }

    private static String label(String peer) {
        return PEER_LABELS.getOrDefault(peer, peer);
    }

    private static Map<String, String> orderedLabels(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    /** A markdown table whose first {@code textColumns} columns are left-aligned, the rest (numbers) right. */
    static void appendTable(StringBuilder b, int textColumns, List<String> header, List<List<String>> rows) {
        b.append("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int i = 0; i < header.size(); i++) {
            b.append(i < textColumns ? " --- |" : " ---: |");
        }
        b.append('\n');
        for (List<String> row : rows) {
            b.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
    }

    /** Sizes as people write them: {@code 8 B}, {@code 32 KiB}, {@code 64 MiB}; other sizes in bytes. */
    static String size(long bytes) {
        String[] units = {"GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << (10 * (3 - i));
            if (bytes >= unit && bytes % unit == 0) {
                return bytes / unit + " " + units[i];
            }
        }
        return bytes + " B";
    }

    /** Three significant digits without an exponent for everyday magnitudes; {@code –} when missing. */
    static String sig3(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        if (a >= 1e6 || a < 1e-3) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        int decimals = Math.max(0, 2 - (int) Math.floor(Math.log10(a)));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static String ratioText(double ratio) {
        return Double.isNaN(ratio) ? "n/a" : sig3(ratio) + "×";
    }

    static String percent(double fraction) {
        return Double.isNaN(fraction) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println("CompareReport: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Runs the command line; returns the exit status. */
    static int run(String[] args) {
        Map<String, String> flags = new HashMap<>();
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (!List.of("--raw", "--markdown", "--points", "--note", "--import-jmh", "--run").contains(flag)
                    || i + 1 >= args.length) {
                System.err.println("CompareReport: unknown flag or missing value: " + flag + "\nusage:\n"
                        + "  CompareReport --raw RAW.csv [--markdown OUT.md] [--points OUT.csv] [--note TEXT]...\n"
                        + "  CompareReport --import-jmh JMH.csv --run R --raw RAW.csv");
                return 2;
            }
            if (flag.equals("--note")) {
                notes.add(args[++i]);
            } else {
                flags.put(flag, args[++i]);
            }
        }
        if (!flags.containsKey("--raw")) {
            System.err.println("CompareReport: --raw is required");
            return 2;
        }
        Path raw = Path.of(flags.get("--raw"));
        if (flags.containsKey("--import-jmh")) {
            if (!flags.containsKey("--run")) {
                System.err.println("CompareReport: --import-jmh needs --run");
                return 2;
            }
            Path jmh = Path.of(flags.get("--import-jmh"));
            List<RawRow> rows = RawCsv.kernelRowsFromJmhCsv(readLines(jmh), Integer.parseInt(flags.get("--run")),
                    jmh.toString());
            StringBuilder b = new StringBuilder();
            rows.forEach(r -> b.append(RawCsv.format(r)).append('\n'));
            write(raw, b.toString(), true);
            return 0;
        }
        CompareReport report = new CompareReport(RawCsv.parse(readLines(raw), raw.toString()), notes);
        String markdown = report.markdown();
        System.out.print(markdown);
        if (flags.containsKey("--markdown")) {
            write(Path.of(flags.get("--markdown")), markdown, false);
        }
        if (flags.containsKey("--points")) {
            write(Path.of(flags.get("--points")), report.pointsCsv(), false);
        }
        return 0;
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void write(Path file, String text, boolean append) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
