package io.jccl.bench.perf;

/** A command line the perf tool cannot run; the message says what is wrong and how to fix it. */
public final class PerfUsageException extends IllegalArgumentException {
    public PerfUsageException(String message) {
        super(message);
    }

    public PerfUsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
