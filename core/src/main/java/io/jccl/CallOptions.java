package io.jccl;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-call overrides, applied through {@link Communicator#with(CallOptions)}. Immutable; build
 * once and reuse: {@code comm.with(CallOptions.algorithm("tree")).allReduce(...)}.
 *
 * @param algorithm algorithm name for the calls made through the view, or {@code null} for the
 *                  communicator's selection (option {@code jccl.algo.<collective>} and default table)
 * @param timeout   deadline of each call, or {@code null} for the communicator's default
 */
public record CallOptions(String algorithm, Duration timeout) {

    /** No overrides. */
    public static final CallOptions DEFAULTS = new CallOptions(null, null);

    public CallOptions {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    /** Options that force algorithm {@code name} ({@code ring}, {@code tree}, ...). */
    public static CallOptions algorithm(String name) {
        return new CallOptions(Objects.requireNonNull(name, "name"), null);
    }

    /** Options with deadline {@code timeout}. */
    public static CallOptions timeout(Duration timeout) {
        return new CallOptions(null, Objects.requireNonNull(timeout, "timeout"));
    }

    /** These options with the algorithm replaced. */
    public CallOptions withAlgorithm(String name) {
        return new CallOptions(name, timeout);
    }

    /** These options with the timeout replaced. */
    public CallOptions withTimeout(Duration t) {
        return new CallOptions(algorithm, t);
    }
}
