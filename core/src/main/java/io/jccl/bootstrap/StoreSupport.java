package io.jccl.bootstrap;

import io.jccl.JcclException;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Helpers shared by the store implementations. Counters are stored as decimal ASCII (as PyTorch's
 * stores do), so {@code get} on a counter key returns e.g. {@code "42"} and the files of a
 * {@link FileStore} stay readable.
 */
final class StoreSupport {
    private StoreSupport() {
    }

    static byte[] encodeCounter(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    /** Parses a counter value; {@code null} (absent) counts as 0. */
    static long decodeCounter(String key, byte[] value) {
        if (value == null) {
            return 0;
        }
        String text = new String(value, StandardCharsets.US_ASCII);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new JcclException("Store key '" + key + "' holds a " + value.length
                    + "-byte value that is not a counter, so add() cannot update it: use a separate key for counters");
        }
    }

    static long addExact(String key, long current, long delta) {
        try {
            return Math.addExact(current, delta);
        } catch (ArithmeticException e) {
            throw new JcclException("Counter '" + key + "' would overflow: " + current + " + " + delta);
        }
    }

    /** A human-readable duration for messages: "250 ms", "5 s", "1.5 s". */
    static String describeNs(long ns) {
        if (ns < 1_000_000L) {
            return ns + " ns";
        }
        if (ns < 1_000_000_000L) {
            return (ns / 1_000_000L) + " ms";
        }
        if (ns % 1_000_000_000L == 0) {
            return (ns / 1_000_000_000L) + " s";
        }
        return String.format(Locale.ROOT, "%.1f s", ns / 1e9);
    }

    static void checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("store keys must be non-empty");
        }
    }

    static void checkValue(byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("store values must be non-null (use an empty array)");
        }
    }

    static void checkTimeout(long timeoutNs) {
        if (timeoutNs < 0) {
            throw new IllegalArgumentException("timeoutNs must be >= 0, got " + timeoutNs);
        }
    }

    /** {@code now + timeoutNs} without overflow, for deadlines compared with {@code nanoTime() - deadline}. */
    static long deadline(long timeoutNs) {
        long now = System.nanoTime();
        return timeoutNs > Long.MAX_VALUE / 4 ? now + Long.MAX_VALUE / 4 : now + timeoutNs;
    }
}
