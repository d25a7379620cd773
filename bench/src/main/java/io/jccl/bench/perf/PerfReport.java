package io.jccl.bench.perf;

import io.jccl.DataType;
import io.jccl.bench.chart.Chart;
import io.jccl.bench.chart.Metric;
import io.jccl.bench.chart.PointsCsv;
import io.jccl.bench.chart.Series;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of one run and their renderings: nccl-tests' text table (header block, one line per
 * size, footer with the average bus bandwidth), CSV, JSON, and for charts two series (out of place,
 * in place) as a points file or a PNG chart of bus bandwidth against size. The table's first thirteen
 * columns are nccl-tests' own, so scripts that parse its output by position keep working; the
 * single-call percentiles, iteration count and algorithm follow.
 *
 * <p>Not thread-safe: rows are added by the one thread running the sweep.
 */
public final class PerfReport {
    private static final String KEY_FORMAT = "# %10s  %12s  %8s  %6s  %6s";
    private static final String GROUP_FORMAT = "  %7s  %6s  %6s  %6s";
    private static final String EXTRA_FORMAT = "  %7s  %7s  %7s  %7s  %6s  %s";

    private final PerfOptions options;
    private final int ranks;
    private final String transport;
    private final List<PerfRow> rows = new ArrayList<>();

    /**
     * @param options   what was asked for
     * @param ranks     the world size of the job
     * @param transport the transport that ran
     */
    public PerfReport(PerfOptions options, int ranks, String transport) {
        this.options = options;
        this.ranks = ranks;
        this.transport = transport;
    }

    public void add(PerfRow row) {
        rows.add(row);
    }

    public List<PerfRow> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** Mean bus bandwidth over every size, out of place and in place (nccl-tests' footer value). */
    public double averageBusBandwidth() {
        if (rows.isEmpty()) {
            return 0;
        }
        double sum = 0;
        for (PerfRow r : rows) {
            sum += r.outOfPlace().busBwGBps() + r.inPlace().busBwGBps();
        }
        return sum / (2.0 * rows.size());
    }

    /** Wrong elements over every size and mode; 0 when results were not checked. */
    public long totalWrong() {
        long sum = 0;
        for (PerfRow r : rows) {
            sum += Math.max(0, r.outOfPlace().wrong()) + Math.max(0, r.inPlace().wrong());
        }
        return sum;
    }

    /** The comment block printed before the first row. */
    public List<String> headerLines() {
        List<String> l = new ArrayList<>();
        l.add("# jccl-perf " + options.collective().cliName() + ", " + ranks + (ranks == 1 ? " rank" : " ranks")
                + ", transport " + transport + ", type " + options.type().shortName()
                + (options.collective().reduces() ? ", op " + options.op().shortName() : "")
                + (options.collective().rooted() ? ", root " + options.root() : ""));
        l.add("# minBytes " + options.minBytes() + " maxBytes " + options.maxBytes() + " step: "
                + (options.stepFactor() > 1 ? options.stepFactor() + "(factor)" : options.stepBytes() + "(bytes)")
                + " warmup iters: " + options.warmupIterations() + " iters: " + options.iterations()
                + " validation: " + (options.check() ? 1 : 0) + " size budget: "
                + (options.sizeBudgetMs() > 0 ? options.sizeBudgetMs() + " ms" : "none")
                + (options.warmupMs() > 0 ? " warmup time: " + options.warmupMs() + " ms" : "")
                + (options.jitWarmupSeconds() > 0 ? " jit warmup: " + options.jitWarmupSeconds() + " s" : ""));
        StringBuilder algo = new StringBuilder("# algorithm: ")
                .append(options.algorithm() == null ? "selected per size" : options.algorithm() + " (forced)");
        if (!options.options().isEmpty()) {
            algo.append("; options:");
            options.options().forEach((k, v) -> algo.append(' ').append(k).append('=').append(v));
        }
        l.add(algo.toString());
        l.add("# time: mean per call, max over ranks; p50/p99: single calls at rank 0; iters reduced to fit the"
                + " size budget");
        l.add("#");
        l.add(f(KEY_FORMAT, "", "", "", "", "") + f("  %-31s", "           out-of-place")
                + f("  %-31s", "             in-place") + f("  %-16s  %-16s", "   out-of-place", "     in-place").stripTrailing());
        l.add(f(KEY_FORMAT, "size", "count", "type", "redop", "root")
                + f(GROUP_FORMAT, "time", "algbw", "busbw", "#wrong") + f(GROUP_FORMAT, "time", "algbw", "busbw", "#wrong")
                + f(EXTRA_FORMAT, "p50", "p99", "p50", "p99", "iters", "algorithm"));
        l.add(f(KEY_FORMAT, "(B)", "(elements)", "", "", "")
                + f(GROUP_FORMAT, "(us)", "(GB/s)", "(GB/s)", "") + f(GROUP_FORMAT, "(us)", "(GB/s)", "(GB/s)", "")
                + f(EXTRA_FORMAT, "(us)", "(us)", "(us)", "(us)", "", "").stripTrailing());
        return l;
    }

    /** One table line, as nccl-tests prints it (plus the extra columns). */
    public String rowLine(PerfRow r) {
        return f("%12d  %12d  %8s  %6s  %6d", r.sizeBytes(), r.countElements(), r.type(), r.redop(), r.root())
                + group(r.outOfPlace()) + group(r.inPlace())
                + f(EXTRA_FORMAT, time(r.outOfPlace().p50Us()), time(r.outOfPlace().p99Us()),
                time(r.inPlace().p50Us()), time(r.inPlace().p99Us()), r.iterations(), r.algorithm());
    }

    /** The comment block after the last row. */
    public List<String> footerLines() {
        List<String> l = new ArrayList<>();
        if (options.check()) {
            long wrong = totalWrong();
            l.add("# Wrong elements       : " + wrong + (wrong == 0 ? " OK" : " FAILED"));
        } else {
            l.add("# Wrong elements       : N/A (not checked, -c 0)");
        }
        l.add(f("# Avg bus bandwidth    : %.4f", averageBusBandwidth()));
        l.add("#");
        return l;
    }

    /** The whole table, header to footer, with a line separator after each line. */
    public String table() {
        StringBuilder b = new StringBuilder();
        headerLines().forEach(s -> b.append(s).append(System.lineSeparator()));
        rows.forEach(r -> b.append(rowLine(r)).append(System.lineSeparator()));
        footerLines().forEach(s -> b.append(s).append(System.lineSeparator()));
        return b.toString();
    }

    /** CSV with a header line; one line per size; an unchecked {@code wrong} is empty. */
    public String csv() {
        StringBuilder b = new StringBuilder();
        b.append("collective,ranks,transport,size_bytes,count,type,redop,root,iterations,warmup_iterations,algorithm,"
                + "oop_time_us,oop_algbw_gbps,oop_busbw_gbps,oop_wrong,oop_p50_us,oop_p99_us,"
                + "ip_time_us,ip_algbw_gbps,ip_busbw_gbps,ip_wrong,ip_p50_us,ip_p99_us\n");
        for (PerfRow r : rows) {
            b.append(options.collective().cliName()).append(',').append(ranks).append(',').append(csvField(transport))
                    .append(',').append(r.sizeBytes()).append(',').append(r.countElements()).append(',')
                    .append(r.type()).append(',').append(r.redop()).append(',').append(r.root()).append(',')
                    .append(r.iterations()).append(',').append(r.warmupIterations()).append(',')
                    .append(csvField(r.algorithm()));
            for (Measurement m : List.of(r.outOfPlace(), r.inPlace())) {
                b.append(',').append(number(m.timeUs())).append(',').append(number(m.algBwGBps())).append(',')
                        .append(number(m.busBwGBps())).append(',')
                        .append(m.wrong() == Measurement.NOT_CHECKED ? "" : Long.toString(m.wrong())).append(',')
                        .append(number(m.p50Us())).append(',').append(number(m.p99Us()));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /**
     * The run as two chart series, out of place and in place, named after the run so several runs
     * can share a chart: {@code jccl allreduce tcp n=4 out-of-place}, with {@code algo=ring} after
     * the rank count when {@code -a} forced one and the type when it is not float32.
     */
    public List<Series> chartSeries() {
        StringBuilder base = new StringBuilder("jccl ").append(options.collective().cliName()).append(' ')
                .append(transport).append(" n=").append(ranks);
        if (options.algorithm() != null) {
            base.append(" algo=").append(options.algorithm());
        }
        if (options.type() != DataType.FLOAT32) {
            base.append(' ').append(options.type().shortName());
        }
        List<Series.Point> outOfPlace = new ArrayList<>();
        List<Series.Point> inPlace = new ArrayList<>();
        for (PerfRow r : rows) {
            outOfPlace.add(new Series.Point(r.sizeBytes(), r.outOfPlace().busBwGBps(), r.outOfPlace().timeUs()));
            inPlace.add(new Series.Point(r.sizeBytes(), r.inPlace().busBwGBps(), r.inPlace().timeUs()));
        }
        return List.of(new Series(base + " out-of-place", outOfPlace), new Series(base + " in-place", inPlace));
    }

    /** {@link #chartSeries()} in the points format ({@code series,bytes,busbw_gbps,time_us}). */
    public String points() {
        return PointsCsv.format(chartSeries());
    }

    /** Bus bandwidth against size for {@link #chartSeries()}, titled like the table's first line. */
    public Chart chart() {
        return Chart.of(headerLines().get(0).substring(2), chartSeries(), List.of(Metric.BUS_BANDWIDTH));
    }

    /** A JSON object: the settings, summary values and one object per size; unchecked wrong counts are null. */
    public String json() {
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"tool\": \"jccl-perf\",\n");
        b.append("  \"collective\": ").append(jsonString(options.collective().cliName())).append(",\n");
        b.append("  \"ranks\": ").append(ranks).append(",\n");
        b.append("  \"transport\": ").append(jsonString(transport)).append(",\n");
        b.append("  \"type\": ").append(jsonString(options.type().shortName())).append(",\n");
        b.append("  \"op\": ").append(options.collective().reduces() ? jsonString(options.op().shortName()) : "null")
                .append(",\n");
        b.append("  \"root\": ").append(options.collective().rooted() ? options.root() : -1).append(",\n");
        b.append("  \"algorithm\": ").append(options.algorithm() == null ? "null" : jsonString(options.algorithm()))
                .append(",\n");
        b.append("  \"minBytes\": ").append(options.minBytes()).append(",\n");
        b.append("  \"maxBytes\": ").append(options.maxBytes()).append(",\n");
        b.append("  \"stepFactor\": ").append(options.stepFactor()).append(",\n");
        b.append("  \"stepBytes\": ").append(options.stepBytes()).append(",\n");
        b.append("  \"iterations\": ").append(options.iterations()).append(",\n");
        b.append("  \"warmupIterations\": ").append(options.warmupIterations()).append(",\n");
        b.append("  \"check\": ").append(options.check()).append(",\n");
        b.append("  \"sizeBudgetMs\": ").append(options.sizeBudgetMs()).append(",\n");
        b.append("  \"options\": {");
        int i = 0;
        for (Map.Entry<String, String> e : options.options().entrySet()) {
            b.append(i++ == 0 ? "" : ", ").append(jsonString(e.getKey())).append(": ").append(jsonString(e.getValue()));
        }
        b.append("},\n");
        b.append("  \"avgBusBandwidthGBps\": ").append(number(averageBusBandwidth())).append(",\n");
        b.append("  \"wrongElements\": ").append(options.check() ? Long.toString(totalWrong()) : "null").append(",\n");
        b.append("  \"results\": [");
        for (int r = 0; r < rows.size(); r++) {
            PerfRow row = rows.get(r);
            b.append(r == 0 ? "\n" : ",\n");
            b.append("    {\"sizeBytes\": ").append(row.sizeBytes()).append(", \"count\": ").append(row.countElements())
                    .append(", \"type\": ").append(jsonString(row.type())).append(", \"redop\": ")
                    .append(jsonString(row.redop())).append(", \"root\": ").append(row.root())
                    .append(", \"iterations\": ").append(row.iterations()).append(", \"warmupIterations\": ")
                    .append(row.warmupIterations()).append(", \"algorithm\": ").append(jsonString(row.algorithm()))
                    .append(",\n     \"outOfPlace\": ").append(json(row.outOfPlace()))
                    .append(",\n     \"inPlace\": ").append(json(row.inPlace())).append('}');
        }
        b.append(rows.isEmpty() ? "]\n" : "\n  ]\n").append("}\n");
        return b.toString();
    }

    private static String json(Measurement m) {
        return "{\"timeUs\": " + number(m.timeUs()) + ", \"algBwGBps\": " + number(m.algBwGBps())
                + ", \"busBwGBps\": " + number(m.busBwGBps()) + ", \"wrong\": "
                + (m.wrong() == Measurement.NOT_CHECKED ? "null" : Long.toString(m.wrong()))
                + ", \"p50Us\": " + number(m.p50Us()) + ", \"p99Us\": " + number(m.p99Us()) + "}";
    }

    private static String group(Measurement m) {
        return f("  %7s  %6.2f  %6.2f  %6s", time(m.timeUs()), m.algBwGBps(), m.busBwGBps(),
                m.wrong() == Measurement.NOT_CHECKED ? "N/A" : Long.toString(m.wrong()));
    }

    /** nccl-tests' time format: fewer decimals as the number grows, always 7 characters wide. */
    static String time(double us) {
        if (us >= 10000.0) {
            return f("%7.0f", us);
        }
        if (us >= 100.0) {
            return f("%7.1f", us);
        }
        return f("%7.2f", us);
    }

    /** Six significant digits, plain notation: small bandwidths stay visible, large times stay short. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        if (v == 0) {
            return "0";
        }
        return new BigDecimal(v).round(new MathContext(6, RoundingMode.HALF_EVEN)).stripTrailingZeros()
                .toPlainString();
    }

    private static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
