package io.jccl.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class ConfigurationTest {
    private static final Option<Integer> LANES = Option.integer("jccl.lanes", 2, 1, 64, "lanes");
    private static final Option<String> TRANSPORT = Option.string("jccl.transport", "tcp", "transport");

    @Test
    void shouldApplyBuilderThenPropertyThenEnvironmentThenDefaultWhenResolving() {
        List<Option<?>> opts = List.of(LANES, TRANSPORT);
        Configuration c = Configuration.resolve(Map.of("jccl.lanes", "4"), opts,
                Map.of("jccl.lanes", "8", "jccl.transport", "loopback"), Map.of("JCCL_LANES", "16"), List.of());
        assertEquals(4, c.get(LANES));
        assertEquals("loopback", c.get(TRANSPORT));
        c = Configuration.resolve(Map.of(), opts, Map.of(), Map.of("JCCL_LANES", "16"), List.of());
        assertEquals(16, c.get(LANES));
        assertEquals("tcp", c.get(TRANSPORT));
        c = Configuration.resolve(Map.of("JCCL_LANES", "3"), opts, Map.of(), Map.of(), List.of());
        assertEquals(3, c.get(LANES));
    }

    @Test
    void shouldNameClosestOptionWhenPropertyIsMisspelt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Configuration.resolve(
                Map.of(), List.of(LANES, TRANSPORT), Map.of("jccl.lanse", "2"), Map.of(), List.of()));
        assertTrue(e.getMessage().contains("jccl.lanse"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean jccl.lanes"), e.getMessage());
    }

    @Test
    void shouldRejectUnknownEnvironmentVariableUnlessIgnored() {
        assertThrows(IllegalArgumentException.class, () -> Configuration.resolve(Map.of(), List.of(LANES),
                Map.of(), Map.of("JCCL_TRANSPROT", "tcp"), List.of()));
        Configuration c = Configuration.resolve(Map.of(), List.of(LANES), Map.of(), Map.of("JCCL_RANK_HINT", "1"),
                List.of("JCCL_RANK_HINT"));
        assertEquals(2, c.get(LANES));
    }

    @Test
    void shouldRejectOutOfRangeValueWithOptionName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Configuration.resolve(
                Map.of("jccl.lanes", "0"), List.of(LANES), Map.of(), Map.of(), List.of()));
        assertTrue(e.getMessage().contains("jccl.lanes") && e.getMessage().contains("[1, 64]"), e.getMessage());
    }

    @Test
    void shouldParseBinarySizeSuffixes() {
        assertEquals(64L << 10, Option.parseSize("64K"));
        assertEquals(4L << 20, Option.parseSize("4m"));
        assertEquals(1L << 30, Option.parseSize("1G"));
        assertEquals(123, Option.parseSize(" 123 "));
        assertThrows(IllegalArgumentException.class, () -> Option.parseSize("12Q"));
    }
}
