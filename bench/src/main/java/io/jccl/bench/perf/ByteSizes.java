package io.jccl.bench.perf;

import java.util.Locale;

/**
 * Byte counts as nccl-tests writes them on the command line: a whole number with an optional
 * binary suffix {@code K}, {@code M} or {@code G} (powers of 1024, either case, optionally followed
 * by {@code B} or {@code iB}). Stateless.
 */
public final class ByteSizes {
    private ByteSizes() {
    }

    /**
     * Parses {@code 8}, {@code 64K}, {@code 64M}, {@code 1G}, {@code 4MiB}, ...
     *
     * @throws IllegalArgumentException for anything else, negative values or overflow
     */
    public static long parse(String text) {
        String t = text.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.endsWith("ib")) {
            lower = lower.substring(0, lower.length() - 2);
        } else if (lower.endsWith("b")) {
            lower = lower.substring(0, lower.length() - 1);
        }
        long multiplier = 1;
        if (!lower.isEmpty()) {
            switch (lower.charAt(lower.length() - 1)) {
                case 'k': multiplier = 1L << 10; break;
                case 'm': multiplier = 1L << 20; break;
                case 'g': multiplier = 1L << 30; break;
                default: break;
            }
        }
        String digits = multiplier == 1 ? lower : lower.substring(0, lower.length() - 1);
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + text + "' is not a byte size; use a whole number with an"
                    + " optional K, M or G suffix, e.g. 8, 64K, 64M, 1G");
        }
        try {
            return Math.multiplyExact(Long.parseLong(digits), multiplier);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("Byte size '" + text + "' is too large", e);
        }
    }

    /** The shortest exact form {@link #parse} reads back: {@code 64M} for 67108864, {@code 1000} for 1000. */
    public static String format(long bytes) {
        if (bytes != 0) {
            if (bytes % (1L << 30) == 0) {
                return bytes / (1L << 30) + "G";
            }
            if (bytes % (1L << 20) == 0) {
                return bytes / (1L << 20) + "M";
            }
            if (bytes % (1L << 10) == 0) {
                return bytes / (1L << 10) + "K";
            }
        }
        return Long.toString(bytes);
    }
}
