package io.jccl.launch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class LauncherCommandLineTest {
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private int run(String... args) {
        return LauncherCommandLine.run(args, out, err);
    }

    private String stdout() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldLaunchRanksWithArgumentsAndEnvironmentWhenCommandLineIsComplete() {
        List<String> args = new ArrayList<>(List.of("--nproc", "2", "--timeout=40s", "--master-port", "0",
                "--env", "LAUNCHER_TEST_MARKER=a=b"));
        for (String jvmArg : LauncherTest.FAST_JVM) {
            args.add("--jvm-arg");
            args.add(jvmArg);
        }
        args.addAll(List.of(LauncherTestMain.class.getName(), "echo", "--nproc", "x y"));
        int code = run(args.toArray(new String[0]));
        String o = stdout();
        assertEquals(0, code, o + stderr());
        // Program arguments after the main class are the program's, even when they look like options.
        assertTrue(o.contains("[rank 0] args=[--nproc, x y] marker=a=b rank=0/2"), o);
        assertTrue(o.contains("[rank 1] args=[--nproc, x y] marker=a=b rank=1/2"), o);
    }

    @Test
    void shouldPrintUsageAndReturnTwoWhenCommandLineIsWrong() {
        assertEquals(2, run("Main"));
        assertTrue(stderr().contains("--nproc is required") && stderr().contains("Usage:"), stderr());
        assertEquals(2, run("--nproc", "2"));
        assertTrue(stderr().contains("the main class is missing"), stderr());
        assertEquals(2, run("--nproc", "2", "--frobnicate", "1", "Main"));
        assertTrue(stderr().contains("unknown option --frobnicate"), stderr());
        assertEquals(2, run("--nproc", "zero", "Main"));
        assertTrue(stderr().contains("--nproc wants a whole number, got 'zero'"), stderr());
        assertEquals(2, run("--nproc", "0", "Main"));
        assertTrue(stderr().contains("nproc must be at least 1"), stderr());
        assertEquals(2, run("--nproc", "1", "--env", "NOVALUE", "Main"));
        assertTrue(stderr().contains("--env wants NAME=VALUE"), stderr());
        assertEquals(2, run("--nproc", "1", "--timeout"));
        assertTrue(stderr().contains("--timeout needs a value"), stderr());
    }

    @Test
    void shouldPrintUsageWhenHelpIsAsked() {
        assertEquals(0, run("--help"));
        assertTrue(stdout().startsWith("Usage: java -cp <classpath> io.jccl.launch.Launcher --nproc N"), stdout());
    }

    @Test
    void shouldParseDurationsInEveryUnit() {
        assertEquals(Duration.ofMillis(500), LauncherCommandLine.parseDuration("--timeout", "500ms"));
        assertEquals(Duration.ofSeconds(30), LauncherCommandLine.parseDuration("--timeout", "30s"));
        assertEquals(Duration.ofMinutes(10), LauncherCommandLine.parseDuration("--timeout", "10m"));
        assertEquals(Duration.ofHours(2), LauncherCommandLine.parseDuration("--timeout", "2H"));
        assertEquals(Duration.ofSeconds(600), LauncherCommandLine.parseDuration("--timeout", "600"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LauncherCommandLine.parseDuration("--timeout", "soon"));
        assertTrue(e.getMessage().contains("--timeout wants a duration like 500ms"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LauncherCommandLine.parseDuration("--timeout", "-5s"));
    }
}
