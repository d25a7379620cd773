package io.jccl.bench.compare;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The raw results file that {@code compare.sh} appends to, and the import of JMH's kernel results into
 * it. Format: the header line {@value #HEADER}, then one {@link RawRow} per line; an empty
 * {@code p50_us} means not measured. Stateless and thread-safe.
 */
public final class RawCsv {
    /** The first line of every raw file. */
    public static final String HEADER = "run,library,variant,ranks,bytes,time_us,busbw_gbps,p50_us";

    /** JMH's name suffix for the kernel benchmark's output-bytes counter. */
    static final String JMH_BYTES_BENCHMARK = "ReduceKernelBenchmark.reduce:bytes";

    private static final int FIELDS = 8;

    private RawCsv() {
    }

    /**
     * Parses a whole raw file.
     *
     * @param lines  the file's lines, header first; blank lines are ignored
     * @param source name for error messages
     * @return the rows in file order
     * @throws IllegalArgumentException naming the line, when the header is wrong, a line is malformed
     *                                  or a (run, library, variant, ranks, bytes) repeats
     */
    public static List<RawRow> parse(List<String> lines, String source) {
        if (lines.isEmpty() || !lines.get(0).strip().equals(HEADER)) {
            throw new IllegalArgumentException(source + ": the first line must be '" + HEADER + "'");
        }
        List<RawRow> rows = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            RawRow row;
            try {
                row = parseRow(line);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
            if (!seen.add(row.run() + "/" + row.key())) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": a second row for run "
                        + row.run() + " of " + row.key().seriesName() + " at " + row.bytes() + " bytes");
            }
            rows.add(row);
        }
        return rows;
    }

    static RawRow parseRow(String line) {
        String[] f = line.split(",", -1);
        if (f.length != FIELDS) {
            throw new IllegalArgumentException("expected " + FIELDS + " fields, found " + f.length + ": " + line);
        }
        return new RawRow(integer(f[0], "run"), f[1].strip(), f[2].strip(), integer(f[3], "ranks"),
                longValue(f[4], "bytes"), decimal(f[5], "time_us"), decimal(f[6], "busbw_gbps"),
                f[7].isBlank() ? Double.NaN : decimal(f[7], "p50_us"));
    }

    /** One line in the raw format, without a line separator. */
    public static String format(RawRow row) {
        return row.run() + "," + row.library() + "," + row.variant() + "," + row.ranks() + "," + row.bytes() + ","
                + number(row.timeUs()) + "," + number(row.busBwGBps()) + ","
                + (Double.isNaN(row.p50Us()) ? "" : number(row.p50Us()));
    }

    /**
     * Kernel rows from a JMH CSV result file ({@code -rf csv}) of
     * {@code ReduceKernelBenchmark.reduce}: the {@code :bytes} secondary metric (output bytes per
     * second) of every float32 / sum / out-of-place entry becomes one {@code jccl}/{@value
     * RawRow#KERNEL_VARIANT} row with {@code GB/s = score / 1e9} and {@code time = bytes / score}.
     *
     * @param lines  the JMH CSV lines, header first
     * @param run    the repetition these results belong to
     * @param source name for error messages
     * @throws IllegalArgumentException when a needed column is missing, a value is malformed, or no
     *                                  matching entry exists (so a silently empty import cannot pass)
     */
    public static List<RawRow> kernelRowsFromJmhCsv(List<String> lines, int run, String source) {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(source + ": empty JMH result file");
        }
        List<String> header = splitQuoted(lines.get(0));
        Map<String, Integer> column = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            column.put(header.get(i), i);
        }
        for (String needed : List.of("Benchmark", "Score", "Unit", "Param: bytes", "Param: dtype", "Param: op")) {
            if (!column.containsKey(needed)) {
                throw new IllegalArgumentException(source + ": JMH CSV has no column '" + needed + "'");
            }
        }
        List<RawRow> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> f = splitQuoted(lines.get(i));
            if (f.size() != header.size()) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": expected " + header.size()
                        + " fields, found " + f.size());
            }
            boolean inPlace = column.containsKey("Param: inPlace")
                    && Boolean.parseBoolean(f.get(column.get("Param: inPlace")));
            if (!f.get(column.get("Benchmark")).endsWith(JMH_BYTES_BENCHMARK)
                    || !f.get(column.get("Param: dtype")).equals("float32")
                    || !f.get(column.get("Param: op")).equals("sum") || inPlace) {
                continue;
            }
            if (!f.get(column.get("Unit")).equals("ops/s")) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": expected unit ops/s, found "
                        + f.get(column.get("Unit")));
            }
            try {
                long bytes = Long.parseLong(f.get(column.get("Param: bytes")));
                double bytesPerSecond = Double.parseDouble(f.get(column.get("Score")));
                rows.add(new RawRow(run, "jccl", RawRow.KERNEL_VARIANT, 1, bytes, bytes / bytesPerSecond * 1e6,
                        bytesPerSecond / 1e9, Double.NaN));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(source + ": no float32/sum/out-of-place entry of "
                    + JMH_BYTES_BENCHMARK);
        }
        return rows;
    }

    /** Splits one line of JMH's CSV: fields separated by commas, optionally in double quotes. */
    static List<String> splitQuoted(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    current.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    current.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        fields.add(current.toString());
        return fields;
    }

    private static int integer(String text, String name) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not an integer: '" + text + "'", e);
        }
    }

    private static long longValue(String text, String name) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not an integer: '" + text + "'", e);
        }
    }

    private static double decimal(String text, String name) {
        try {
            double v = Double.parseDouble(text.strip());
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException(name + " is NaN");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a number: '" + text + "'", e);
        }
    }

    /** Plain decimal text (no exponent) that round-trips through {@link Double#parseDouble}. */
    static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
