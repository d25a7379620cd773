package io.jccl.bench.chart;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The points format shared by {@code jccl-perf --points}, comparison scripts and {@link ChartTool}:
 * CSV with the header {@code series,bytes,busbw_gbps,time_us} and one line per point, e.g.
 * {@code jccl-tcp n=4,1048576,0.85,1850.2}.
 *
 * <p>Reading is strict, so a broken file fails with its line number rather than drawing a wrong
 * chart: exactly four fields (a field may be quoted as in RFC 4180, with {@code ""} for a quote),
 * a non-empty series name, {@code bytes} a whole number of at least 0, values finite and at least
 * 0. A value may be missing: empty, {@code nan} or {@code N/A}. Blank lines and lines starting
 * with {@code #} are skipped. A series appears in the order of its first line and may be spread
 * over several files ({@link #merge}); one size twice in the same series is an error. Stateless.
 */
public final class PointsCsv {
    /** The header line, exactly. */
    public static final String HEADER = "series,bytes,busbw_gbps,time_us";

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private PointsCsv() {
    }

    /**
     * Reads one file.
     *
     * @throws ChartInputException naming the file and line of the first problem
     * @throws IOException         when the file cannot be read
     */
    public static List<Series> read(Path file) throws IOException {
        return merge(List.of(file));
    }

    /**
     * Reads several files into one list of series; series of the same name are combined.
     *
     * @throws ChartInputException naming the file and line of the first problem
     * @throws IOException         when a file cannot be read
     */
    public static List<Series> merge(List<Path> files) throws IOException {
        Parser parser = new Parser();
        for (Path file : files) {
            parser.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        }
        return parser.series();
    }

    /**
     * Parses the text of one points file.
     *
     * @param source the file name for error messages
     * @throws ChartInputException naming {@code source} and the line of the first problem
     */
    public static List<Series> parse(String text, String source) {
        Parser parser = new Parser();
        parser.parse(text, source);
        return parser.series();
    }

    /** The points file for {@code series}: the header, then each series' points in size order. */
    public static String format(List<Series> series) {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (Series s : series) {
            for (Series.Point p : s.points()) {
                b.append(field(s.name())).append(',').append(p.sizeBytes()).append(',')
                        .append(number(p.busBwGBps())).append(',').append(number(p.timeUs())).append('\n');
            }
        }
        return b.toString();
    }

    /** Six significant digits, plain notation; empty for a missing value. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "";
        }
        if (v == 0) {
            return "0";
        }
        return new BigDecimal(v).round(new MathContext(6, RoundingMode.HALF_EVEN)).stripTrailingZeros()
                .toPlainString();
    }

    private static String field(String s) {
        boolean plain = s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0
                && s.equals(s.trim()) && !s.startsWith("#");
        return plain ? s : '"' + s.replace("\"", "\"\"") + '"';
    }

    /** Accumulates points over files; not thread-safe. */
    private static final class Parser {
        private final Map<String, List<Series.Point>> points = new LinkedHashMap<>();
        /** "series\0bytes" to where it was first seen, to report duplicates with both places. */
        private final Map<String, String> seen = new HashMap<>();

        void parse(String text, String source) {
            String[] lines = text.split("\r?\n", -1);
            int first = 0;
            while (first < lines.length && lines[first].isBlank()) {
                first++;
            }
            if (first == lines.length) {
                throw new ChartInputException(source + ": empty file; expected the header '" + HEADER + "'");
            }
            String header = lines[first].strip();
            if (header.startsWith("\uFEFF")) {
                header = header.substring(1);
            }
            if (!header.equals(HEADER)) {
                throw new ChartInputException(source + ":" + (first + 1) + ": the header must be '" + HEADER
                        + "', got '" + header + "'");
            }
            for (int i = first + 1; i < lines.length; i++) {
                String line = lines[i];
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String where = source + ":" + (i + 1);
                List<String> fields = split(line, where);
                if (fields.size() != 4) {
                    throw new ChartInputException(where + ": expected 4 fields (" + HEADER + "), got "
                            + fields.size() + " in '" + line + "'");
                }
                String name = fields.get(0).strip();
                if (name.isEmpty()) {
                    throw new ChartInputException(where + ": the series name is empty");
                }
                long bytes = bytes(fields.get(1).strip(), where);
                double busBw = value(fields.get(2).strip(), "busbw_gbps", where);
                double time = value(fields.get(3).strip(), "time_us", where);
                String firstSeen = seen.putIfAbsent(name + '\0' + bytes, where);
                if (firstSeen != null) {
                    throw new ChartInputException(where + ": series '" + name + "' already has a point at " + bytes
                            + " bytes (" + firstSeen + "); rename one of the series to draw both");
                }
                points.computeIfAbsent(name, k -> new ArrayList<>()).add(new Series.Point(bytes, busBw, time));
            }
        }

        List<Series> series() {
            List<Series> out = new ArrayList<>();
            points.forEach((name, list) -> out.add(new Series(name, list)));
            return out;
        }

        private static List<String> split(String line, String where) {
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            int i = 0;
            while (true) {
                if (i < line.length() && line.charAt(i) == '"') {
                    i++;
                    while (true) {
                        if (i >= line.length()) {
                            throw new ChartInputException(where + ": a quoted field is not closed in '" + line + "'");
                        }
                        char c = line.charAt(i++);
                        if (c != '"') {
                            field.append(c);
                        } else if (i < line.length() && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    }
                    if (i < line.length() && line.charAt(i) != ',') {
                        throw new ChartInputException(where + ": text after a closing quote in '" + line + "'");
                    }
                } else {
                    while (i < line.length() && line.charAt(i) != ',') {
                        field.append(line.charAt(i++));
                    }
                }
                fields.add(field.toString());
                field.setLength(0);
                if (i >= line.length()) {
                    return fields;
                }
                i++; // the comma
            }
        }

        private static long bytes(String text, String where) {
            if (text.isEmpty() || !text.chars().allMatch(Character::isDigit)) {
                throw new ChartInputException(where + ": bytes must be a whole number of at least 0, got '"
                        + text + "'");
            }
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new ChartInputException(where + ": bytes '" + text + "' is too large", e);
            }
        }

        private static double value(String text, String column, String where) {
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.isEmpty() || lower.equals("nan") || lower.equals("n/a")) {
                return Double.NaN;
            }
            // Double.parseDouble alone would also take "1f", "0x1p3" and "Infinity".
            if (!DECIMAL.matcher(text).matches()) {
                throw new ChartInputException(where + ": " + column + " must be a number (or empty when missing), got '"
                        + text + "'");
            }
            double v = Double.parseDouble(text);
            if (Double.isInfinite(v) || v < 0) {
                throw new ChartInputException(where + ": " + column + " must be finite and at least 0, got '"
                        + text + "'");
            }
            return v;
        }
    }
}
