package io.jccl.bench.perf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class PerfToolTest {
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @Test
    void shouldPrintUsageAndSucceedWhenHelpAsked() {
        assertEquals(0, PerfTool.run(List.of("-h"), out, err));
        String usage = outBytes.toString(StandardCharsets.UTF_8);
        assertTrue(usage.startsWith("Usage: jccl-perf"), usage);
        assertEquals("", errBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldExitWithUsageCodeAndListFlagsWhenFlagUnknown() {
        assertEquals(PerfTool.EXIT_USAGE, PerfTool.run(List.of("allreduce", "--frobnicate"), out, err));
        String message = errBytes.toString(StandardCharsets.UTF_8);
        assertTrue(message.startsWith("jccl-perf: Unknown flag '--frobnicate'; valid flags: -b/--minbytes"), message);
        assertTrue(message.contains("jccl-perf -h"), message);
        assertEquals("", outBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldExitWithUsageCodeWhenCollectiveMissing() {
        assertEquals(PerfTool.EXIT_USAGE, PerfTool.run(List.of(), out, err));
        assertTrue(errBytes.toString(StandardCharsets.UTF_8).contains("Name the collective"));
    }
}
