package io.jccl.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration option, declared once: property name ({@code jccl.timeout.ms}), environment
 * name derived from it ({@code JCCL_TIMEOUT_MS}), default, parser with range check, and a line of
 * documentation. Immutable.
 *
 * @param <T> value type
 */
public final class Option<T> {
    private final String property;
    private final String env;
    private final T defaultValue;
    private final String doc;
    private final Function<String, T> parser;

    private Option(String property, T defaultValue, String doc, Function<String, T> parser) {
        if (!property.startsWith("jccl.")) {
            throw new IllegalArgumentException("option names start with 'jccl.': " + property);
        }
        this.property = property;
        this.env = property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        this.defaultValue = defaultValue;
        this.doc = doc;
        this.parser = parser;
    }

    public static Option<String> string(String property, String defaultValue, String doc) {
        return new Option<>(property, defaultValue, doc, s -> s);
    }

    /** A string option that must be one of {@code choices} (compared ignoring case, stored in lower case). */
    public static Option<String> choice(String property, String defaultValue, String doc, String... choices) {
        List<String> allowed = List.of(choices);
        return new Option<>(property, defaultValue, doc, s -> {
            String t = s.trim().toLowerCase(Locale.ROOT);
            if (!allowed.contains(t)) {
                throw new IllegalArgumentException("expected one of " + String.join(", ", allowed) + ", got '" + s + "'");
            }
            return t;
        });
    }

    public static Option<Boolean> bool(String property, boolean defaultValue, String doc) {
        return new Option<>(property, defaultValue, doc, s -> {
            String t = s.trim().toLowerCase(Locale.ROOT);
            if (t.equals("true") || t.equals("1") || t.equals("yes")) {
                return true;
            }
            if (t.equals("false") || t.equals("0") || t.equals("no")) {
                return false;
            }
            throw new IllegalArgumentException("expected true or false, got '" + s + "'");
        });
    }

    /** An integer option; accepts suffixes K, M, G (powers of 1024). */
    public static Option<Integer> integer(String property, int defaultValue, int min, int max, String doc) {
        return new Option<>(property, defaultValue, doc, s -> {
            long v = parseSize(s);
            if (v < min || v > max) {
                throw new IllegalArgumentException("must be in [" + min + ", " + max + "], got " + s);
            }
            return (int) v;
        });
    }

    /** A long option; accepts suffixes K, M, G (powers of 1024). */
    public static Option<Long> longValue(String property, long defaultValue, long min, long max, String doc) {
        return new Option<>(property, defaultValue, doc, s -> {
            long v = parseSize(s);
            if (v < min || v > max) {
                throw new IllegalArgumentException("must be in [" + min + ", " + max + "], got " + s);
            }
            return v;
        });
    }

    /** Parses {@code 123}, {@code 64K}, {@code 4M}, {@code 1G} (binary multiples). */
    public static long parseSize(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.endsWith("B") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) {
            t = t.substring(0, t.length() - 1);
        }
        long mult = 1;
        if (t.endsWith("K")) {
            mult = 1L << 10;
        } else if (t.endsWith("M")) {
            mult = 1L << 20;
        } else if (t.endsWith("G")) {
            mult = 1L << 30;
        }
        if (mult != 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            return Math.multiplyExact(Long.parseLong(t.trim()), mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a number: '" + text + "'");
        }
    }

    public String property() {
        return property;
    }

    public String env() {
        return env;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    /** Parses and range-checks {@code text}; the exception names the option and the accepted values. */
    public T parse(String text) {
        try {
            return parser.apply(Objects.requireNonNull(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid value for " + property + " (" + env + "): " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return property;
    }
}
