package io.jccl.bench.chart;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ChartTool --input points.csv [--input more.csv] --output chart.png [--title T]
 * [--metric busbw|time|both] [--width PX] [--height PX]}: draws points files (see {@link PointsCsv})
 * as one chart, e.g. several {@code jccl-perf --points} runs, or a comparison script's output.
 *
 * <p>Exit codes: 0 written; 1 the chart could not be written; 2 bad command line or bad input
 * (the message names the file and line).
 */
public final class ChartTool {
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    private static final String USAGE = String.join("\n",
            "Usage: ChartTool --input FILE.csv [--input FILE.csv ...] --output FILE.png [flags]",
            "  --input FILE     points file with the header " + PointsCsv.HEADER + " (repeatable)",
            "  --output FILE    where to write the PNG",
            "  --title TEXT     title above the chart (default: after the metric)",
            "  --metric M       busbw (default), time, or both (two panels)",
            "  --width PX       image width (default " + Chart.DEFAULT_WIDTH_PX + ")",
            "  --height PX      image height (default " + Chart.DEFAULT_HEIGHT_PX + ", "
                    + (Chart.DEFAULT_HEIGHT_PX + Chart.EXTRA_PANEL_HEIGHT_PX) + " for both)",
            "  -h, --help       print this help",
            "");

    private ChartTool() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    /** Runs the tool and returns the exit code (main's, without exiting). */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (ChartInputException e) {
            err.println("chart: " + e.getMessage());
            err.print(USAGE);
            return EXIT_USAGE;
        }
        if (options == null) {
            out.print(USAGE);
            return 0;
        }
        List<Series> series;
        try {
            series = PointsCsv.merge(options.inputs);
        } catch (ChartInputException e) {
            err.println("chart: " + e.getMessage());
            return EXIT_USAGE;
        } catch (NoSuchFileException e) {
            err.println("chart: no such input file: " + e.getFile());
            return EXIT_USAGE;
        } catch (IOException e) {
            err.println("chart: cannot read the input: " + e);
            return EXIT_USAGE;
        }
        if (series.stream().allMatch(s -> s.points().isEmpty())) {
            err.println("chart: the input has no points, only the header: " + options.inputs);
            return EXIT_USAGE;
        }
        String title = options.title != null ? options.title
                : options.metrics.size() > 1 ? "Bus bandwidth and time per call vs message size"
                : options.metrics.get(0) == Metric.TIME ? "Time per call vs message size"
                : "Bus bandwidth vs message size";
        int height = options.heightPx > 0 ? options.heightPx
                : Chart.DEFAULT_HEIGHT_PX + Chart.EXTRA_PANEL_HEIGHT_PX * (options.metrics.size() - 1);
        try {
            new Chart(title, series, options.metrics, options.widthPx, height).writePng(options.output);
        } catch (IllegalArgumentException e) {
            err.println("chart: " + e.getMessage());
            return EXIT_USAGE;
        } catch (IOException e) {
            err.println("chart: cannot write " + options.output + ": " + e.getMessage());
            return EXIT_FAILURE;
        }
        out.println("chart: wrote " + options.output + " (" + series.size() + " series)");
        return 0;
    }

    /** A parsed command line; null from {@link #parse} means help. */
    private static final class Options {
        final List<Path> inputs = new ArrayList<>();
        Path output;
        String title;
        List<Metric> metrics = List.of(Metric.BUS_BANDWIDTH);
        int widthPx = Chart.DEFAULT_WIDTH_PX;
        int heightPx;

        static Options parse(List<String> args) {
            Options o = new Options();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (arg.equals("-h") || arg.equals("--help")) {
                    return null;
                }
                String name = arg;
                String value = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                }
                if (!List.of("--input", "--output", "--title", "--metric", "--width", "--height").contains(name)) {
                    throw new ChartInputException("unknown argument '" + arg + "'");
                }
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new ChartInputException(name + " needs a value");
                    }
                    value = args.get(++i);
                }
                switch (name) {
                    case "--input":
                        o.inputs.add(path(name, value));
                        break;
                    case "--output":
                        o.output = path(name, value);
                        break;
                    case "--title":
                        o.title = value;
                        break;
                    case "--metric":
                        o.metrics = metrics(value);
                        break;
                    case "--width":
                        o.widthPx = pixels(name, value);
                        break;
                    default:
                        o.heightPx = pixels(name, value);
                        break;
                }
            }
            if (o.inputs.isEmpty()) {
                throw new ChartInputException("give at least one --input FILE.csv");
            }
            if (o.output == null) {
                throw new ChartInputException("give --output FILE.png");
            }
            return o;
        }

        private static List<Metric> metrics(String value) {
            if (value.trim().equalsIgnoreCase("both")) {
                return List.of(Metric.BUS_BANDWIDTH, Metric.TIME);
            }
            try {
                return List.of(Metric.parse(value));
            } catch (IllegalArgumentException e) {
                throw new ChartInputException("--metric: unknown metric '" + value + "'; use busbw, time or both", e);
            }
        }

        private static Path path(String name, String value) {
            if (value.isBlank()) {
                throw new ChartInputException(name + " needs a file name");
            }
            return Path.of(value);
        }

        private static int pixels(String name, String value) {
            try {
                return Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new ChartInputException(name + " needs a whole number of pixels, got '" + value + "'", e);
            }
        }
    }
}
