package io.jccl.launch;

import io.jccl.bootstrap.BootstrapEnvironment;
import io.jccl.bootstrap.Rendezvous;
import io.jccl.bootstrap.TcpStore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The program {@link LauncherTest} launches; its first argument picks a behaviour. It prints what
 * the test checks and exits non-zero (3) when its environment is not what the launcher promised.
 */
public final class LauncherTestMain {
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    private LauncherTestMain() {
    }

    public static void main(String[] args) throws Exception {
        BootstrapEnvironment env = BootstrapEnvironment.detect();
        switch (args[0]) {
            case "rendezvous":
                rendezvous(env);
                break;
            case "fail-fast":
                failFast(env);
                break;
            case "sleep":
                System.out.println("sleeping pid=" + ProcessHandle.current().pid());
                Thread.sleep(TimeUnit.SECONDS.toMillis(60));
                break;
            case "echo":
                System.out.println("args=" + List.of(args).subList(1, args.length) + " marker="
                        + System.getenv("LAUNCHER_TEST_MARKER") + " rank=" + env.rank() + "/" + env.worldSize());
                break;
            default:
                System.err.println("unknown mode " + args[0]);
                System.exit(2);
        }
    }

    /** Checks the environment, runs a real rendezvous over the TCP store and prints the result. */
    private static void rendezvous(BootstrapEnvironment env) throws Exception {
        List<String> problems = new ArrayList<>();
        if (!env.convention().equals("JCCL")) {
            problems.add("convention " + env.convention());
        }
        if (env.localRank() != env.rank()) {
            problems.add("local rank " + env.localRank() + " != rank " + env.rank());
        }
        if (!env.masterAddr().equals("127.0.0.1")) {
            problems.add("master address " + env.masterAddr());
        }
        if (!"hello".equals(System.getenv("LAUNCHER_TEST_MARKER"))) {
            problems.add("LAUNCHER_TEST_MARKER=" + System.getenv("LAUNCHER_TEST_MARKER"));
        }
        if (!problems.isEmpty()) {
            System.err.println("bad environment: " + problems);
            System.exit(3);
        }
        System.err.println("stderr of rank " + env.rank());
        try (TcpStore store = TcpStore.forRank(env.rank(), env.masterAddr(), env.masterPort(), TIMEOUT_NS)) {
            Rendezvous.Result result = Rendezvous.exchange(store, "test", env.rank(), env.worldSize(),
                    ("from " + env.rank()).getBytes(StandardCharsets.UTF_8), TIMEOUT_NS);
            List<String> payloads = new ArrayList<>();
            for (byte[] p : result.payloads()) {
                payloads.add(new String(p, StandardCharsets.UTF_8));
            }
            System.out.println("rank " + env.rank() + " of " + env.worldSize() + " port=" + env.masterPort()
                    + " id=" + Long.toHexString(result.communicatorId()) + " payloads=" + payloads);
            // Rank 0 hosts the store: it must outlive everybody's use of it.
            if (env.rank() == 0) {
                for (int r = 1; r < env.worldSize(); r++) {
                    store.get("done/" + r, TIMEOUT_NS);
                }
            } else {
                store.set("done/" + env.rank(), new byte[0]);
            }
        }
    }

    /**
     * Rank 1 fails with exit code 7 once every other rank has started a child process and printed
     * the pids; the others then sleep and must be killed by the launcher.
     */
    private static void failFast(BootstrapEnvironment env) throws Exception {
        try (TcpStore store = TcpStore.forRank(env.rank(), env.masterAddr(), env.masterPort(), TIMEOUT_NS)) {
            if (env.rank() == 1) {
                for (int r = 0; r < env.worldSize(); r++) {
                    if (r != 1) {
                        store.get("ready/" + r, TIMEOUT_NS);
                    }
                }
                System.out.println("failing now");
                System.exit(7);
            }
            Process child = new ProcessBuilder("sleep", "60").start();
            System.out.println("sleeper pid=" + ProcessHandle.current().pid() + " child=" + child.pid());
            System.out.flush();
            store.set("ready/" + env.rank(), new byte[0]);
            Thread.sleep(TimeUnit.SECONDS.toMillis(60));
        }
    }
}
