package io.jccl.launch;

import io.jccl.JcclException;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** Parses the {@link Launcher}'s command line. Stateless. */
final class LauncherCommandLine {
    static final int USAGE_EXIT_CODE = 2;
    static final String USAGE = String.join("\n",
            "Usage: java -cp <classpath> io.jccl.launch.Launcher --nproc N [options] <mainClass> [args...]",
            "Starts N ranks of <mainClass> as separate JVMs on this host.",
            "  --nproc N              number of ranks (required)",
            "  --master-addr ADDR     address rank 0 hosts the store on (default 127.0.0.1)",
            "  --master-port P        port of rank 0's store; 0 picks a free port (default 0)",
            "  --timeout T            kill the job after T, exit 124 (default 600s; units ms, s, m, h)",
            "  --grace-period T       time between SIGTERM and SIGKILL on teardown (default 3s)",
            "  --jvm-arg ARG          extra JVM argument for every rank (repeatable)",
            "  --env K=V              extra environment variable for every rank (repeatable)",
            "  --classpath CP, -cp CP classpath of the ranks (default: the launcher's)",
            "Every rank gets JCCL_RANK, JCCL_WORLD_SIZE, JCCL_LOCAL_RANK, JCCL_MASTER_ADDR, JCCL_MASTER_PORT.",
            "The first rank to fail stops the others; the launcher exits with its code.");

    private LauncherCommandLine() {
    }

    /** Parses, runs and returns the exit code; usage errors print the usage and return 2. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Launcher.Builder builder;
        try {
            builder = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return USAGE_EXIT_CODE;
        }
        if (builder == null) {
            out.println(USAGE);
            return 0;
        }
        try {
            return builder.output(out).errorOutput(err).run().exitCode();
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return USAGE_EXIT_CODE;
        } catch (JcclException e) {
            err.println("[launcher] " + e.getMessage());
            return 1;
        }
    }

    /** Returns the configured builder, or null when help was asked for. */
    static Launcher.Builder parse(String[] args) {
        Launcher.Builder builder = Launcher.builder();
        boolean nprocGiven = false;
        int i = 0;
        while (i < args.length) {
            String arg = args[i];
            if (arg.equals("--")) {
                i++;
                break;
            }
            if (!arg.startsWith("-")) {
                break;
            }
            if (arg.equals("-h") || arg.equals("--help")) {
                return null;
            }
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
                i++;
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                value = args[i + 1];
                i += 2;
            }
            switch (name) {
                case "--nproc":
                    builder.nproc(parseInt(name, value));
                    nprocGiven = true;
                    break;
                case "--master-addr":
                    builder.masterAddr(value);
                    break;
                case "--master-port":
                    builder.masterPort(parseInt(name, value));
                    break;
                case "--timeout":
                    builder.timeout(parseDuration(name, value));
                    break;
                case "--grace-period":
                    builder.gracePeriod(parseDuration(name, value));
                    break;
                case "--jvm-arg":
                    builder.jvmArg(value);
                    break;
                case "--env": {
                    int sep = value.indexOf('=');
                    if (sep < 1) {
                        throw new IllegalArgumentException("--env wants NAME=VALUE, got '" + value + "'");
                    }
                    builder.env(value.substring(0, sep), value.substring(sep + 1));
                    break;
                }
                case "--classpath":
                case "-cp":
                    builder.classpath(value);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (!nprocGiven) {
            throw new IllegalArgumentException("--nproc is required");
        }
        if (i >= args.length) {
            throw new IllegalArgumentException("the main class is missing");
        }
        builder.mainClass(args[i]);
        for (int j = i + 1; j < args.length; j++) {
            builder.args(args[j]);
        }
        return builder;
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}, or a bare number of seconds. */
    static Duration parseDuration(String name, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
            } else {
                d = Duration.ofSeconds(Long.parseLong(v));
            }
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, got '" + value + "'");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " wants a duration like 500ms, 30s, 10m or 1h, got '" + value + "'");
        }
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " wants a whole number, got '" + value + "'");
        }
    }
}
