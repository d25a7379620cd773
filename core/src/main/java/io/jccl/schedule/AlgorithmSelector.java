package io.jccl.schedule;

import io.jccl.config.Option;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses the algorithm for a request: an explicit per-call name, else the configured value of
 * {@code jccl.algo.<collective>} (a name or a rule string), else the providers' default table,
 * else the first algorithm that supports the request.
 *
 * <p>Rule strings: {@code lo-hi:name#lo-hi:name...}, ranges half-open in message bytes
 * ({@link CollectiveSpec#messageBytes()}), sizes with K/M/G suffixes, {@code inf} for no upper
 * bound. Example: {@code 0-64K:recursive_doubling#64K-inf:ring}. A rule whose algorithm declines
 * the request falls through to the next applicable choice. Thread-safe after construction.
 */
public final class AlgorithmSelector {
    private final Map<CollectiveKind, Map<String, Algorithm>> byKind = new EnumMap<>(CollectiveKind.class);
    private final Map<CollectiveKind, List<Rule>> configured = new EnumMap<>(CollectiveKind.class);
    private final Map<CollectiveKind, List<Rule>> defaults = new EnumMap<>(CollectiveKind.class);

    /**
     * @param providers  discovered algorithm providers
     * @param configured per collective the configured name or rule string (empty = none)
     * @param worldSize  world size, for the providers' default tables
     */
    public AlgorithmSelector(List<AlgorithmProvider> providers, Map<CollectiveKind, String> configured, int worldSize) {
        for (AlgorithmProvider p : providers) {
            for (Algorithm a : p.algorithms()) {
                byKind.computeIfAbsent(a.kind(), k -> new LinkedHashMap<>()).putIfAbsent(a.name(), a);
            }
            for (Map.Entry<CollectiveKind, String> e : p.defaultRules(worldSize).entrySet()) {
                defaults.putIfAbsent(e.getKey(), parse(e.getKey(), e.getValue(), "default table"));
            }
        }
        for (Map.Entry<CollectiveKind, String> e : configured.entrySet()) {
            if (e.getValue() != null && !e.getValue().isBlank()) {
                this.configured.put(e.getKey(), parse(e.getKey(), e.getValue(),
                        "option jccl.algo." + e.getKey().key()));
            }
        }
    }

    /** Names of the algorithms available for {@code kind}. */
    public List<String> names(CollectiveKind kind) {
        return new ArrayList<>(byKind.getOrDefault(kind, Map.of()).keySet());
    }

    /** The algorithm named {@code name} for {@code kind}, or an exception listing the available ones. */
    public Algorithm byName(CollectiveKind kind, String name) {
        Algorithm a = byKind.getOrDefault(kind, Map.of()).get(name.trim().toLowerCase(Locale.ROOT));
        if (a == null) {
            throw new IllegalArgumentException("Unknown " + kind.key() + " algorithm '" + name + "'; available: "
                    + names(kind) + (byKind.isEmpty() ? " (no algorithms found: add the jccl-algorithms dependency)" : ""));
        }
        return a;
    }

    /**
     * Chooses the algorithm for {@code spec}.
     *
     * @param explicitName per-call override, or {@code null}
     */
    public Algorithm select(CollectiveSpec spec, String explicitName) {
        if (explicitName != null && !explicitName.isBlank()) {
            Algorithm a = byName(spec.kind(), explicitName);
            if (!a.supports(spec)) {
                throw new IllegalArgumentException("Algorithm '" + a.name() + "' cannot run " + spec.kind().key()
                        + " with world size " + spec.worldSize() + " and " + spec.countElements()
                        + " elements; choose another of " + names(spec.kind()));
            }
            return a;
        }
        Algorithm a = fromRules(configured.get(spec.kind()), spec);
        if (a == null) {
            a = fromRules(defaults.get(spec.kind()), spec);
        }
        if (a == null) {
            for (Algorithm candidate : byKind.getOrDefault(spec.kind(), Map.of()).values()) {
                if (candidate.supports(spec)) {
                    return candidate;
                }
            }
            throw new IllegalStateException("No algorithm supports " + spec + (byKind.isEmpty()
                    ? "; add the jccl-algorithms dependency" : "; available: " + names(spec.kind())));
        }
        return a;
    }

    private Algorithm fromRules(List<Rule> rules, CollectiveSpec spec) {
        if (rules == null) {
            return null;
        }
        long bytes = spec.messageBytes();
        for (Rule r : rules) {
            if (bytes >= r.lo && bytes < r.hi) {
                Algorithm a = byName(spec.kind(), r.name);
                if (a.supports(spec)) {
                    return a;
                }
            }
        }
        return null;
    }

    private List<Rule> parse(CollectiveKind kind, String text, String where) {
        List<Rule> rules = new ArrayList<>();
        String t = text.trim();
        if (!t.contains(":")) {
            byName(kind, t);
            rules.add(new Rule(0, Long.MAX_VALUE, t.toLowerCase(Locale.ROOT)));
            return rules;
        }
        for (String part : t.split("#")) {
            int colon = part.lastIndexOf(':');
            int dash = part.indexOf('-');
            if (colon < 0 || dash < 0 || dash > colon) {
                throw new IllegalArgumentException("Bad rule '" + part + "' in " + where + ": expected lo-hi:name,"
                        + " e.g. 0-64K:recursive_doubling#64K-inf:ring");
            }
            long lo = Option.parseSize(part.substring(0, dash));
            String hiText = part.substring(dash + 1, colon).trim();
            long hi = hiText.equalsIgnoreCase("inf") ? Long.MAX_VALUE : Option.parseSize(hiText);
            String name = part.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            byName(kind, name);
            if (hi <= lo) {
                throw new IllegalArgumentException("Empty range '" + part + "' in " + where);
            }
            rules.add(new Rule(lo, hi, name));
        }
        return rules;
    }

    private record Rule(long lo, long hi, String name) {
    }
}
