package io.jccl.examples;

import io.jccl.launch.LaunchResult;
import io.jccl.launch.Launcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the README quick-start as 3 processes: the SUM makes element 0 equal 1+2+3 = 6 on every rank, and the AVG of those equal values stays 6. */
class QuickStartIT {
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void shouldPrintSumOnEveryRankWhenQuickStartRunsOnThreeRanks() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        LaunchResult r = Launcher.builder().nproc(3).masterPort(0).timeout(Duration.ofSeconds(90))
                .mainClass(QuickStart.class.getName()).output(out).errorOutput(out).run();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, r.exitCode(), text);
        for (int rank = 0; rank < 3; rank++) {
            assertTrue(text.contains("rank " + rank + " of 3: 6.0"), text);
        }
    }
}
