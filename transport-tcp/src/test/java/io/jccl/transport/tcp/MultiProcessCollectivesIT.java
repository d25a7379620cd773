package io.jccl.transport.tcp;

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
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Separate JVMs started by the launcher, running collectives over TCP on loopback. */
class MultiProcessCollectivesIT {

    private static String run(int ranks, String mode, int expectExit) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        LaunchResult result = Launcher.builder().nproc(ranks).masterPort(0).timeout(Duration.ofMinutes(4))
                .mainClass(CollectivesWorker.class.getName()).args(mode).output(out).errorOutput(out).run();
        String text = bytes.toString(StandardCharsets.UTF_8);
        if (expectExit == 0) {
            assertEquals(0, result.exitCode(), text);
        } else {
            assertNotEquals(0, result.exitCode(), text);
        }
        return text;
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldAgreeWithReferenceWhenFourProcessesRunCollectives() {
        String text = run(4, "check", 0);
        for (int r = 0; r < 4; r++) {
            assertTrue(text.contains("[rank " + r + "] rank " + r + " OK"), text);
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldAgreeWithReferenceWhenFiveProcessesRunCollectives() {
        String text = run(5, "check", 0);
        assertTrue(text.contains("[rank 4] rank 4 OK"), text);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void shouldTearDownJobWhenOneRankDies() {
        long start = System.nanoTime();
        String text = run(4, "die-after-first", 1);
        assertTrue(text.contains("rank 1 exits on purpose"), text);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60), "teardown took too long:\n" + text);
    }
}
