package io.jccl.launch;

import io.jccl.JcclException;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts N ranks of a Java program as separate JVMs on this host, like {@code torchrun
 * --nproc-per-node N}:
 * <pre>
 * java -cp &lt;classpath&gt; io.jccl.launch.Launcher --nproc 4 [--master-addr 127.0.0.1] [--master-port 0]
 *      [--timeout 600s] [--jvm-arg -Xmx1g]... [--env K=V]... &lt;mainClass&gt; [args...]
 * </pre>
 * or in code: {@code Launcher.builder().nproc(4).mainClass("my.Main").run()}.
 *
 * <p>Every rank runs the same {@code java} binary as the launcher ({@code java.home}) with the
 * same classpath (overridable), the parent's environment plus {@code --env} values plus
 * {@code JCCL_RANK}, {@code JCCL_WORLD_SIZE}, {@code JCCL_LOCAL_RANK}, {@code JCCL_MASTER_ADDR}
 * and {@code JCCL_MASTER_PORT}. Each line a rank prints is prefixed with {@code [rank k] }.
 *
 * <p>The first rank to exit non-zero tears the job down: every other rank (and every process it
 * started) gets a polite {@code destroy}, then {@code destroyForcibly} after the grace period; the
 * launch then ends with that rank's exit code. When the overall timeout passes first, everything
 * is killed the same way and the launch ends with {@value #TIMEOUT_EXIT_CODE} (as {@code timeout(1)}
 * does), naming the ranks still running. A shutdown hook (Ctrl-C) kills the ranks too. When
 * {@link Builder#run()} returns, no rank is left running.
 *
 * <p>A {@code Launcher} is immutable and may run several times; each run blocks its caller.
 */
public final class Launcher {
    /** Exit code when the overall timeout killed the job. */
    public static final int TIMEOUT_EXIT_CODE = 124;
    /** How long pumping the last output lines may take once every rank has exited. */
    private static final long OUTPUT_DRAIN_MS = 2000;
    /** How long killed processes may take to disappear after {@code destroyForcibly}. */
    private static final long FORCED_EXIT_WAIT_MS = 5000;

    private final int nproc;
    private final String masterAddr;
    private final int masterPort;
    private final Duration timeout;
    private final Duration gracePeriod;
    private final List<String> jvmArgs;
    private final Map<String, String> env;
    private final String classpath;
    private final Path javaExecutable;
    private final String mainClass;
    private final List<String> args;
    private final PrintStream output;
    private final PrintStream errorOutput;

    private Launcher(Builder b) {
        if (b.nproc < 1) {
            throw new IllegalArgumentException("nproc must be at least 1, got " + b.nproc);
        }
        if (b.mainClass == null || b.mainClass.isEmpty()) {
            throw new IllegalArgumentException("a main class is required");
        }
        if (b.masterPort < 0 || b.masterPort > 65535) {
            throw new IllegalArgumentException("master port must be in [0, 65535] (0 = pick a free one), got " + b.masterPort);
        }
        if (b.timeout.isNegative() || b.timeout.isZero() || b.gracePeriod.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive and the grace period not negative");
        }
        this.nproc = b.nproc;
        this.masterAddr = b.masterAddr;
        this.masterPort = b.masterPort;
        this.timeout = b.timeout;
        this.gracePeriod = b.gracePeriod;
        this.jvmArgs = List.copyOf(b.jvmArgs);
        this.env = Map.copyOf(b.env);
        this.classpath = b.classpath != null ? b.classpath : System.getProperty("java.class.path");
        this.javaExecutable = b.javaExecutable != null ? b.javaExecutable
                : Path.of(System.getProperty("java.home"), "bin", "java");
        this.mainClass = b.mainClass;
        this.args = List.copyOf(b.args);
        this.output = b.output;
        this.errorOutput = b.errorOutput != null ? b.errorOutput : (b.outputSetForBoth ? b.output : System.err);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Command-line entry point; see the class comment. Exits with the launch's exit code. */
    public static void main(String[] args) {
        System.exit(LauncherCommandLine.run(args, System.out, System.err));
    }

    /** Runs the job and blocks until every rank has exited or been killed. */
    public LaunchResult run() {
        int port = masterPort != 0 ? masterPort : pickFreePort();
        List<Process> processes = new ArrayList<>(nproc);
        List<Thread> pumps = new ArrayList<>(2 * nproc);
        Thread hook = new Thread(() -> terminate(processes, Duration.ofSeconds(1)), "jccl-launch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            BlockingQueue<Integer> exited = new LinkedBlockingQueue<>();
            for (int rank = 0; rank < nproc; rank++) {
                Process process = start(rank, port, processes);
                pumps.add(LinePrefixer.start(process.getInputStream(), output, rank, "out"));
                pumps.add(LinePrefixer.start(process.getErrorStream(), errorOutput, rank, "err"));
                int r = rank;
                process.onExit().thenRun(() -> exited.add(r));
            }
            int firstFailedRank = -1;
            boolean timedOut = false;
            long deadline = System.nanoTime() + timeout.toNanos();
            for (int running = nproc; running > 0; ) {
                long remainingNs = deadline - System.nanoTime();
                if (remainingNs <= 0) {
                    timedOut = true;
                    break;
                }
                Integer rank = exited.poll(remainingNs, TimeUnit.NANOSECONDS);
                if (rank == null) {
                    continue;
                }
                running--;
                if (processes.get(rank).exitValue() != 0) {
                    firstFailedRank = rank;
                    break;
                }
            }
            List<Integer> stillRunning = alive(processes);
            if (timedOut) {
                say("timed out after " + describe(timeout) + " with rank(s) " + stillRunning
                        + " still running; killing them (raise --timeout if the job needs longer)");
            } else if (firstFailedRank >= 0) {
                say("rank " + firstFailedRank + " exited with code " + processes.get(firstFailedRank).exitValue()
                        + (stillRunning.isEmpty() ? "" : "; stopping rank(s) " + stillRunning));
            }
            terminate(processes, gracePeriod);
            drain(pumps);
            List<Integer> codes = new ArrayList<>(nproc);
            List<Long> pids = new ArrayList<>(nproc);
            for (Process p : processes) {
                codes.add(p.isAlive() ? -1 : p.exitValue());
                pids.add(p.pid());
            }
            int exitCode = timedOut ? TIMEOUT_EXIT_CODE : firstFailedRank >= 0 ? codes.get(firstFailedRank) : 0;
            return new LaunchResult(exitCode, firstFailedRank, timedOut, codes, pids, port);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JcclException("Interrupted while waiting for the ranks; they were killed", e);
        } finally {
            terminate(processes, gracePeriod);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down and the hook is running or has run.
            }
        }
    }

    private Process start(int rank, int port, List<Process> started) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable.toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> childEnv = builder.environment();
        childEnv.putAll(env);
        childEnv.put("JCCL_RANK", Integer.toString(rank));
        childEnv.put("JCCL_WORLD_SIZE", Integer.toString(nproc));
        childEnv.put("JCCL_LOCAL_RANK", Integer.toString(rank));
        childEnv.put("JCCL_MASTER_ADDR", masterAddr);
        childEnv.put("JCCL_MASTER_PORT", Integer.toString(port));
        try {
            Process process = builder.start();
            synchronized (started) {
                started.add(process);
            }
            return process;
        } catch (IOException e) {
            throw new JcclException("Cannot start rank " + rank + " with " + javaExecutable + " (" + e.getMessage()
                    + "): check that the java binary exists and is executable", e);
        }
    }

    /**
     * Stops every live process and its descendants: destroy, wait up to {@code grace}, then
     * destroyForcibly and wait again. Descendants are collected first because a child whose
     * parent died is re-parented and can no longer be found from the parent.
     */
    private static void terminate(List<Process> processes, Duration grace) {
        List<ProcessHandle> handles = new ArrayList<>();
        synchronized (processes) {
            for (Process p : processes) {
                if (p.isAlive()) {
                    p.descendants().forEach(handles::add);
                    handles.add(p.toHandle());
                }
            }
        }
        if (handles.isEmpty()) {
            return;
        }
        handles.forEach(ProcessHandle::destroy);
        if (!awaitExit(handles, grace.toMillis())) {
            for (ProcessHandle h : handles) {
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
            }
            awaitExit(handles, FORCED_EXIT_WAIT_MS);
        }
    }

    private static boolean awaitExit(List<ProcessHandle> handles, long timeoutMs) {
        CompletableFuture<?>[] exits = handles.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(timeoutMs, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void drain(List<Thread> pumps) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(OUTPUT_DRAIN_MS);
        for (Thread pump : pumps) {
            long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remainingMs > 0) {
                pump.join(remainingMs);
            }
        }
    }

    private static List<Integer> alive(List<Process> processes) {
        List<Integer> ranks = new ArrayList<>();
        for (int r = 0; r < processes.size(); r++) {
            if (processes.get(r).isAlive()) {
                ranks.add(r);
            }
        }
        return ranks;
    }

    private int pickFreePort() {
        // The port is free now; a race with another process is possible but rare, as with torchrun.
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(masterAddr))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new JcclException("Cannot find a free port on " + masterAddr + " (" + e.getMessage()
                    + "): is --master-addr an address of this host?", e);
        }
    }

    private void say(String message) {
        synchronized (errorOutput) {
            errorOutput.println("[launcher] " + message);
            errorOutput.flush();
        }
    }

    static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Collects a launch's settings; {@link #run()} starts it. Not thread-safe. */
    public static final class Builder {
        private int nproc = 1;
        private String masterAddr = "127.0.0.1";
        private int masterPort;
        private Duration timeout = Duration.ofSeconds(600);
        private Duration gracePeriod = Duration.ofSeconds(3);
        private final List<String> jvmArgs = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private String classpath;
        private Path javaExecutable;
        private String mainClass;
        private final List<String> args = new ArrayList<>();
        private PrintStream output = System.out;
        private PrintStream errorOutput;
        private boolean outputSetForBoth;

        private Builder() {
        }

        /** Number of ranks (JVMs) to start; default 1. */
        public Builder nproc(int nproc) {
            this.nproc = nproc;
            return this;
        }

        /** Address rank 0 hosts the store on; default 127.0.0.1. */
        public Builder masterAddr(String masterAddr) {
            this.masterAddr = masterAddr;
            return this;
        }

        /** Port of rank 0's store; default 0 = pick a free one. */
        public Builder masterPort(int masterPort) {
            this.masterPort = masterPort;
            return this;
        }

        /** Overall limit for the whole job; default 600 s. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Time between destroy and destroyForcibly when tearing ranks down; default 3 s. */
        public Builder gracePeriod(Duration gracePeriod) {
            this.gracePeriod = gracePeriod;
            return this;
        }

        /** Adds one argument for every rank's JVM (before the main class), e.g. {@code -Xmx1g}. */
        public Builder jvmArg(String jvmArg) {
            this.jvmArgs.add(jvmArg);
            return this;
        }

        /** Adds arguments for every rank's JVM. */
        public Builder jvmArgs(List<String> jvmArgs) {
            this.jvmArgs.addAll(jvmArgs);
            return this;
        }

        /** Sets an environment variable for every rank (the {@code JCCL_*} rank variables still win). */
        public Builder env(String name, String value) {
            this.env.put(name, value);
            return this;
        }

        /** The ranks' classpath; default this JVM's {@code java.class.path}. */
        public Builder classpath(String classpath) {
            this.classpath = classpath;
            return this;
        }

        /** The {@code java} binary; default {@code java.home/bin/java} of this JVM. */
        public Builder javaExecutable(Path javaExecutable) {
            this.javaExecutable = javaExecutable;
            return this;
        }

        /** The class whose {@code main} every rank runs. */
        public Builder mainClass(String mainClass) {
            this.mainClass = mainClass;
            return this;
        }

        /** Appends program arguments, passed to every rank. */
        public Builder args(String... args) {
            this.args.addAll(List.of(args));
            return this;
        }

        /** Appends program arguments, passed to every rank. */
        public Builder args(List<String> args) {
            this.args.addAll(args);
            return this;
        }

        /**
         * Where prefixed rank output goes; default {@code System.out} for stdout and
         * {@code System.err} for stderr and launcher messages. Setting it also sends stderr here
         * unless {@link #errorOutput} is set.
         */
        public Builder output(PrintStream output) {
            this.output = output;
            this.outputSetForBoth = true;
            return this;
        }

        /** Where the ranks' prefixed stderr and the launcher's own messages go. */
        public Builder errorOutput(PrintStream errorOutput) {
            this.errorOutput = errorOutput;
            return this;
        }

        /** Checks the settings; throws {@link IllegalArgumentException} naming the bad one. */
        public Launcher build() {
            return new Launcher(this);
        }

        /** {@code build().run()}. */
        public LaunchResult run() {
            return build().run();
        }
    }
}
