package io.jccl.schedule;

import io.jccl.DataType;
import io.jccl.ReduceOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class AlgorithmSelectorTest {

    /** A stand-in algorithm: only its name and what it supports matter to the selector. */
    private record Fake(String name, boolean powerOfTwoOnly) implements Algorithm {
        @Override
        public CollectiveKind kind() {
            return CollectiveKind.ALL_REDUCE;
        }

        @Override
        public boolean supports(CollectiveSpec spec) {
            return !powerOfTwoOnly || Integer.bitCount(spec.worldSize()) == 1;
        }

        @Override
        public Schedule plan(CollectiveSpec spec, int rank) {
            return new ScheduleBuilder(rank, 1).build();
        }
    }

    private static final AlgorithmProvider PROVIDER = new AlgorithmProvider() {
        @Override
        public List<Algorithm> algorithms() {
            return List.of(new Fake("ring", false), new Fake("halving", true), new Fake("tree", false));
        }

        @Override
        public Map<CollectiveKind, String> defaultRules(int worldSize) {
            return Map.of(CollectiveKind.ALL_REDUCE, "0-1K:halving#0-1K:tree#1K-inf:ring");
        }
    };

    private static CollectiveSpec spec(int worldSize, long count) {
        return new CollectiveSpec(CollectiveKind.ALL_REDUCE, worldSize, count, DataType.FLOAT32, ReduceOp.SUM, -1,
                false, 1024, 1);
    }

    @Test
    void shouldFollowDefaultTableAndFallThroughWhenAlgorithmDeclines() {
        AlgorithmSelector s = new AlgorithmSelector(List.of(PROVIDER), Map.of(), 4);
        assertEquals("halving", s.select(spec(4, 10), null).name());
        assertEquals("tree", s.select(spec(3, 10), null).name());
        assertEquals("ring", s.select(spec(3, 1000), null).name());
    }

    @Test
    void shouldPreferExplicitNameThenConfiguredRules() {
        AlgorithmSelector s = new AlgorithmSelector(List.of(PROVIDER),
                Map.of(CollectiveKind.ALL_REDUCE, "0-64:tree#64-inf:ring"), 4);
        assertEquals("tree", s.select(spec(4, 10), null).name());
        assertEquals("ring", s.select(spec(4, 100), null).name());
        assertEquals("halving", s.select(spec(4, 100), "halving").name());
        AlgorithmSelector named = new AlgorithmSelector(List.of(PROVIDER), Map.of(CollectiveKind.ALL_REDUCE, "tree"), 4);
        assertEquals("tree", named.select(spec(4, 1 << 20), null).name());
    }

    @Test
    void shouldExplainWhenNameIsUnknownOrUnsupported() {
        AlgorithmSelector s = new AlgorithmSelector(List.of(PROVIDER), Map.of(), 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.select(spec(3, 1), "rnig"));
        assertTrue(e.getMessage().contains("ring") && e.getMessage().contains("rnig"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> s.select(spec(3, 1), "halving"));
        assertTrue(e.getMessage().contains("cannot run"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AlgorithmSelector(List.of(PROVIDER),
                Map.of(CollectiveKind.ALL_REDUCE, "0-1K-ring"), 3));
    }
}
