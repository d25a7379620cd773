package io.jccl.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resolved option values. Precedence: explicit (builder) value, then system property, then
 * environment variable, then default. Any {@code jccl.*} property, {@code JCCL_*} variable or
 * explicit key that no known option declares is an error (usually a typo), reported with the
 * closest known name.
 */
public final class Configuration {
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, Option<?>> known = new TreeMap<>();

    private Configuration() {
    }

    /**
     * Resolves {@code options}.
     *
     * @param explicit   values given in code, keyed by property or env name
     * @param options    every option any installed module declares
     * @param properties system properties (usually {@code System.getProperties()})
     * @param env        environment (usually {@code System.getenv()})
     * @param ignoredEnv environment names that are not options but read elsewhere (e.g. {@code JCCL_RANK} aliases)
     */
    public static Configuration resolve(Map<String, String> explicit, Collection<Option<?>> options,
                                        Map<?, ?> properties, Map<String, String> env,
                                        Collection<String> ignoredEnv) {
        Configuration c = new Configuration();
        Map<String, Option<?>> byName = new LinkedHashMap<>();
        for (Option<?> o : options) {
            byName.put(o.property(), o);
            byName.put(o.env(), o);
            c.known.put(o.property(), o);
        }
        List<String> unknown = new ArrayList<>();
        for (String k : explicit.keySet()) {
            if (!byName.containsKey(k)) {
                unknown.add(k + " (set in code)");
            }
        }
        for (Object k : properties.keySet()) {
            String key = String.valueOf(k);
            if (key.startsWith("jccl.") && !byName.containsKey(key)) {
                unknown.add(key + " (system property)");
            }
        }
        for (String key : env.keySet()) {
            if (key.startsWith("JCCL_") && !byName.containsKey(key) && !ignoredEnv.contains(key)) {
                unknown.add(key + " (environment)");
            }
        }
        if (!unknown.isEmpty()) {
            StringBuilder sb = new StringBuilder("Unknown JCCL option(s): ");
            for (int i = 0; i < unknown.size(); i++) {
                String u = unknown.get(i);
                sb.append(i == 0 ? "" : ", ").append(u);
                String guess = closest(u.substring(0, u.indexOf(' ')), byName.keySet());
                if (guess != null) {
                    sb.append(" - did you mean ").append(guess).append('?');
                }
            }
            sb.append(". Known options: ").append(String.join(", ", c.known.keySet()))
                    .append(" (or their JCCL_* environment names).");
            throw new IllegalArgumentException(sb.toString());
        }
        for (Option<?> o : options) {
            String raw = explicit.get(o.property());
            String src = "code";
            if (raw == null) {
                raw = explicit.get(o.env());
            }
            if (raw == null) {
                Object p = properties.get(o.property());
                raw = p == null ? null : p.toString();
                src = "system property " + o.property();
            }
            if (raw == null) {
                raw = env.get(o.env());
                src = "environment " + o.env();
            }
            if (raw == null) {
                c.values.put(o.property(), o.defaultValue());
                c.sources.put(o.property(), "default");
            } else {
                c.values.put(o.property(), o.parse(raw));
                c.sources.put(o.property(), src);
            }
        }
        return c;
    }

    /** Convenience: resolves against this JVM's system properties and environment. */
    public static Configuration resolve(Map<String, String> explicit, Collection<Option<?>> options,
                                        Collection<String> ignoredEnv) {
        return resolve(explicit, options, System.getProperties(), System.getenv(), ignoredEnv);
    }

    /** The value of {@code option}; options not resolved here yield their default. */
    @SuppressWarnings("unchecked")
    public <T> T get(Option<T> option) {
        Object v = values.get(option.property());
        return v == null ? option.defaultValue() : (T) v;
    }

    /** A table of every option, its value and where the value came from. */
    public String describe() {
        StringBuilder sb = new StringBuilder("JCCL configuration:\n");
        for (Map.Entry<String, Object> e : values.entrySet()) {
            sb.append(String.format(Locale.ROOT, "  %-32s = %-20s (%s)%n", e.getKey(), e.getValue(),
                    sources.get(e.getKey())));
        }
        return sb.toString();
    }

    private static String closest(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(name.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return bestDistance <= Math.max(2, name.length() / 4) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
