package io.jccl.algorithms;

import io.jccl.DataType;
import io.jccl.ReduceOp;
import io.jccl.schedule.Algorithm;
import io.jccl.schedule.AlgorithmProvider;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.CollectiveSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

@Timeout(10)
class StandardAlgorithmsTest {
    private static final int[] WORLD_SIZES = {1, 2, 3, 7, 8, 15, 16, 17, 64, 1000};
    private static final List<CollectiveKind> SCHEDULED = List.of(CollectiveKind.ALL_REDUCE, CollectiveKind.ALL_GATHER,
            CollectiveKind.REDUCE_SCATTER, CollectiveKind.BROADCAST, CollectiveKind.REDUCE, CollectiveKind.BARRIER);

    @Test
    void shouldBeFoundByServiceLoaderWhenOnTheClassPath() {
        boolean found = false;
        for (AlgorithmProvider provider : ServiceLoader.load(AlgorithmProvider.class)) {
            found |= provider instanceof StandardAlgorithms;
        }
        assertTrue(found, "StandardAlgorithms not registered in META-INF/services");
    }

    @Test
    void shouldOfferUniqueNamesForEveryScheduledCollectiveWhenListed() {
        Set<String> seen = new HashSet<>();
        for (Algorithm a : new StandardAlgorithms().algorithms()) {
            assertTrue(seen.add(a.kind().key() + ":" + a.name()), "duplicate " + a.name() + " for " + a.kind());
            assertTrue(a.name().matches("[a-z_]+"), a.name());
        }
        for (CollectiveKind kind : SCHEDULED) {
            assertTrue(seen.stream().anyMatch(s -> s.startsWith(kind.key() + ":")), "no algorithm for " + kind);
        }
    }

    @Test
    void shouldRouteEverySizeToAnExistingSupportingAlgorithmWhenUsingDefaultRules() {
        StandardAlgorithms provider = new StandardAlgorithms();
        for (int n : WORLD_SIZES) {
            Map<CollectiveKind, String> rules = provider.defaultRules(n);
            for (CollectiveKind kind : SCHEDULED) {
                String rule = rules.get(kind);
                if (rule == null) {
                    fail("no default rule for " + kind + " at n=" + n);
                }
                long expectedLo = 0;
                String[] entries = rule.split("#");
                for (int i = 0; i < entries.length; i++) {
                    String[] rangeAndName = entries[i].split(":");
                    String[] range = rangeAndName[0].split("-");
                    long lo = parseBytes(range[0]);
                    long hi = parseBytes(range[1]);
                    assertEquals(expectedLo, lo, "gap or overlap in " + rule);
                    assertTrue(hi > lo, rule);
                    Algorithm algorithm = find(provider, kind, rangeAndName[1]);
                    for (long bytes : new long[] {lo, lo + 1, hi == Long.MAX_VALUE ? lo * 4 + 4096 : hi - 1}) {
                        CollectiveSpec spec = specForBytes(kind, n, bytes);
                        assertTrue(algorithm.supports(spec), rule + " sends " + spec + " to " + algorithm.name()
                                + ", which declines it");
                    }
                    expectedLo = hi;
                    if (i == entries.length - 1) {
                        assertEquals(Long.MAX_VALUE, hi, "last range of " + rule + " must end at inf");
                    }
                }
            }
        }
    }

    @Test
    void shouldDeclineWhatItCannotRunWhenAskedToSupport() {
        StandardAlgorithms provider = new StandardAlgorithms();
        Algorithm rdGather = find(provider, CollectiveKind.ALL_GATHER, "recursive_doubling");
        assertFalse(rdGather.supports(Cases.spec(CollectiveKind.ALL_GATHER, 6, 10, -1, false, 64, 1)));
        assertTrue(rdGather.supports(Cases.spec(CollectiveKind.ALL_GATHER, 8, 10, -1, false, 64, 1)));
        assertThrows(IllegalArgumentException.class,
                () -> rdGather.plan(Cases.spec(CollectiveKind.ALL_GATHER, 6, 10, -1, false, 64, 1), 0));
        for (Algorithm a : provider.algorithms()) {
            CollectiveKind other = a.kind() == CollectiveKind.ALL_REDUCE ? CollectiveKind.REDUCE : CollectiveKind.ALL_REDUCE;
            assertFalse(a.supports(Cases.spec(other, 4, 10, 0, false, 64, 1)), a.name() + " accepts " + other);
            assertThrows(IllegalArgumentException.class,
                    () -> a.plan(Cases.spec(a.kind(), 4, 10, 0, false, 64, 1), 4), a.name() + " plans rank 4 of 4");
        }
        Algorithm ring = find(provider, CollectiveKind.ALL_REDUCE, "ring");
        assertFalse(ring.supports(new CollectiveSpec(CollectiveKind.ALL_REDUCE, 4, 10, DataType.FLOAT32, null, -1,
                false, 64, 1)), "allreduce without a reduce op");
        Algorithm chain = find(provider, CollectiveKind.BROADCAST, "chain");
        assertFalse(chain.supports(Cases.spec(CollectiveKind.BROADCAST, 4, 10, 4, false, 64, 1)), "root 4 of 4");
        assertFalse(chain.supports(Cases.spec(CollectiveKind.BROADCAST, 4, 10, -1, false, 64, 1)), "root -1");
        Algorithm gather = find(provider, CollectiveKind.ALL_GATHER, "ring");
        assertFalse(gather.supports(Cases.spec(CollectiveKind.ALL_GATHER, 1000, Long.MAX_VALUE / 100, -1, false, 64,
                1)), "n*count overflows");
    }

    private static Algorithm find(StandardAlgorithms provider, CollectiveKind kind, String name) {
        return provider.algorithms().stream().filter(a -> a.kind() == kind && a.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind.key() + " algorithm named '" + name + "'"));
    }

    private static CollectiveSpec specForBytes(CollectiveKind kind, int n, long bytes) {
        boolean blocked = kind == CollectiveKind.ALL_GATHER || kind == CollectiveKind.REDUCE_SCATTER;
        long count = kind == CollectiveKind.BARRIER ? 0 : bytes / DataType.FLOAT32.sizeBytes() / (blocked ? n : 1);
        boolean reduces = kind == CollectiveKind.ALL_REDUCE || kind == CollectiveKind.REDUCE_SCATTER
                || kind == CollectiveKind.REDUCE;
        boolean rooted = kind == CollectiveKind.BROADCAST || kind == CollectiveKind.REDUCE;
        return new CollectiveSpec(kind, n, count, DataType.FLOAT32, reduces ? ReduceOp.SUM : null, rooted ? 0 : -1,
                false, 1 << 17, 2);
    }

    /** The rule-string size syntax: digits with an optional binary K/M/G suffix, or {@code inf}. */
    private static long parseBytes(String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("inf")) {
            return Long.MAX_VALUE;
        }
        long unit = 1;
        char last = Character.toUpperCase(t.charAt(t.length() - 1));
        if (last == 'K' || last == 'M' || last == 'G') {
            unit = last == 'K' ? 1L << 10 : last == 'M' ? 1L << 20 : 1L << 30;
            t = t.substring(0, t.length() - 1);
        }
        return Long.parseLong(t) * unit;
    }
}
