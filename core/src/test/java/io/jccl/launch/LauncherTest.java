package io.jccl.launch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Launches real JVMs running {@link LauncherTestMain}; each launch costs about half a second per JVM. */
@Timeout(60)
class LauncherTest {
    /** Settings that make short-lived test JVMs start faster. */
    static final List<String> FAST_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-Xss512k");

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream sink = new PrintStream(captured, true, StandardCharsets.UTF_8);

    private String output() {
        sink.flush();
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void shouldExchangeThroughRankZerosStoreWhenThreeRanksRun() {
        // Port 0: the launcher picks a free port and hands the same one to every rank.
        LaunchResult result = Launcher.builder().nproc(3).jvmArgs(FAST_JVM).env("LAUNCHER_TEST_MARKER", "hello")
                .masterPort(0).timeout(Duration.ofSeconds(45)).output(sink)
                .mainClass(LauncherTestMain.class.getName()).args("rendezvous").run();
        String out = output();
        assertEquals(0, result.exitCode(), out);
        assertEquals(-1, result.firstFailedRank());
        assertEquals(List.of(0, 0, 0), result.rankExitCodes());
        assertTrue(result.masterPort() > 0);
        Pattern line = Pattern.compile("^\\[rank (\\d)] rank (\\d) of 3 port=" + result.masterPort() + " id=([0-9a-f]+) payloads=\\[from 0, from 1, from 2]$",
                Pattern.MULTILINE);
        Matcher m = line.matcher(out);
        Set<String> ids = new HashSet<>();
        Set<Integer> ranks = new HashSet<>();
        while (m.find()) {
            assertEquals(m.group(1), m.group(2), "prefix must name the printing rank");
            ranks.add(Integer.parseInt(m.group(1)));
            ids.add(m.group(3));
        }
        assertEquals(Set.of(0, 1, 2), ranks, out);
        assertEquals(1, ids.size(), "one communicator id for all ranks: " + out);
        for (int r = 0; r < 3; r++) {
            assertTrue(out.contains("[rank " + r + "] stderr of rank " + r + "\n")
                    || out.contains("[rank " + r + "] stderr of rank " + r + System.lineSeparator()), out);
        }
        for (long pid : result.rankPids()) {
            assertFalse(isAlive(pid));
        }
    }

    @Test
    void shouldStopEveryRankAndItsChildrenWhenOneRankFails() {
        long start = System.nanoTime();
        LaunchResult result = Launcher.builder().nproc(3).jvmArgs(FAST_JVM).timeout(Duration.ofSeconds(45))
                .gracePeriod(Duration.ofSeconds(1)).output(sink)
                .mainClass(LauncherTestMain.class.getName()).args("fail-fast").run();
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        String out = output();
        assertEquals(7, result.exitCode(), out);
        assertEquals(1, result.firstFailedRank());
        assertFalse(result.timedOut());
        assertEquals(7, result.rankExitCodes().get(1));
        assertTrue(result.rankExitCodes().get(0) != 0 && result.rankExitCodes().get(2) != 0, result.toString());
        assertTrue(out.contains("[launcher] rank 1 exited with code 7; stopping rank(s) [0, 2]"), out);
        assertTrue(elapsedMs < 20_000, "the sleepers sleep 60 s; teardown took " + elapsedMs + " ms");

        List<Long> pids = new ArrayList<>();
        Matcher m = Pattern.compile("\\[rank [02]] sleeper pid=(\\d+) child=(\\d+)").matcher(out);
        while (m.find()) {
            pids.add(Long.parseLong(m.group(1)));
            pids.add(Long.parseLong(m.group(2)));
        }
        assertEquals(4, pids.size(), "two sleepers, each with one child:\n" + out);
        assertTrue(pids.containsAll(List.of(result.rankPids().get(0), result.rankPids().get(2))));
        for (long pid : pids) {
            assertFalse(isAlive(pid), "process " + pid + " survived the teardown");
        }
    }

    @Test
    void shouldKillEverythingAndExit124WhenTimeoutPasses() {
        long start = System.nanoTime();
        LaunchResult result = Launcher.builder().nproc(2).jvmArgs(FAST_JVM).timeout(Duration.ofMillis(2500))
                .gracePeriod(Duration.ofSeconds(1)).output(sink)
                .mainClass(LauncherTestMain.class.getName()).args("sleep").run();
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        String out = output();
        assertEquals(Launcher.TIMEOUT_EXIT_CODE, result.exitCode(), out);
        assertTrue(result.timedOut());
        assertEquals(-1, result.firstFailedRank());
        assertTrue(out.contains("[launcher] timed out after 2500 ms with rank(s) [0, 1] still running"), out);
        assertTrue(elapsedMs >= 2400 && elapsedMs < 15_000, "took " + elapsedMs + " ms");
        for (long pid : result.rankPids()) {
            assertFalse(isAlive(pid), "rank process " + pid + " survived the timeout");
        }
    }

    @Test
    void shouldKillRanksWhenLauncherItselfIsStopped() throws Exception {
        List<String> command = new ArrayList<>(List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(FAST_JVM);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Launcher.class.getName(), "--nproc", "2",
                "--timeout", "50s"));
        for (String jvmArg : FAST_JVM) {
            command.add("--jvm-arg");
            command.add(jvmArg);
        }
        command.addAll(List.of(LauncherTestMain.class.getName(), "sleep"));
        Process launcher = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<Long> pids = new ArrayList<>();
        try {
            java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
                        launcher.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        lines.add(l);
                    }
                } catch (java.io.IOException ignored) {
                    // The launcher was killed: its pipe ends.
                }
            });
            reader.setDaemon(true);
            reader.start();
            Pattern sleeping = Pattern.compile("\\[rank \\d] sleeping pid=(\\d+)");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (pids.size() < 2 && System.nanoTime() < deadline) {
                String l = lines.poll(1, TimeUnit.SECONDS);
                Matcher m = l == null ? null : sleeping.matcher(l);
                if (m != null && m.find()) {
                    pids.add(Long.parseLong(m.group(1)));
                }
            }
            assertEquals(2, pids.size(), "both ranks should have started: " + lines);
            // SIGTERM, as Ctrl-C or a job scheduler would send: the launcher's shutdown hook must stop the ranks.
            launcher.destroy();
            assertTrue(launcher.waitFor(20, TimeUnit.SECONDS), "launcher did not exit");
            for (long pid : pids) {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (isAlive(pid) && System.nanoTime() < until) {
                    Thread.sleep(50);
                }
                assertFalse(isAlive(pid), "rank process " + pid + " outlived its launcher");
            }
        } finally {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
            // Should the hook fail, do not leave the orphaned ranks behind (checking it is still our rank).
            for (long pid : pids) {
                ProcessHandle.of(pid).filter(h -> h.info().commandLine().orElse("").contains("LauncherTestMain"))
                        .ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
