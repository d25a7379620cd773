package io.jccl.bench.chart;

/**
 * Input a chart cannot be drawn from: a malformed points file or command line. The message names
 * the file and line ({@code points.csv:7: ...}) or the argument, and says what was expected.
 */
public final class ChartInputException extends IllegalArgumentException {
    public ChartInputException(String message) {
        super(message);
    }

    public ChartInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
