package io.jccl.bench.perf;

import io.jccl.DataType;
import io.jccl.ReduceOp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed {@code jccl-perf} command line. Immutable; {@link #parse} checks every value, so a
 * {@code PerfOptions} always describes a runnable sweep (except for checks that need the world
 * size, see {@link #checkAgainstWorldSize}).
 *
 * @param collective       what to measure
 * @param minBytes         first size ({@code -b})
 * @param maxBytes         last size ({@code -e})
 * @param stepFactor       size multiplier ({@code -f}); 1 = add {@code stepBytes}
 * @param stepBytes        size increment when {@code stepFactor} is 1 ({@code -i})
 * @param iterations       timed calls per size and mode ({@code -n}), before any budget reduction
 * @param warmupIterations untimed calls per size and mode ({@code -w}), before any budget reduction
 * @param check            whether to verify results ({@code -c 1})
 * @param type             element type ({@code -d})
 * @param op               reduce op ({@code -o}); ignored by allgather and broadcast
 * @param root             root rank ({@code -r}); used by broadcast and reduce
 * @param algorithm        forced algorithm ({@code -a}), or null for the communicator's choice
 * @param transport        transport name ({@code -t})
 * @param timeoutSeconds   deadline of each call ({@code -T}), or 0 for the communicator's default
 * @param ranks            local ranks to launch ({@code --ranks}), or 0 to join a job from the environment
 * @param jsonFile         where rank 0 writes JSON results, or null
 * @param csvFile          where rank 0 writes CSV results, or null
 * @param chartFile        where rank 0 draws bus bandwidth against size as a PNG chart, or null
 * @param pointsFile       where rank 0 writes the chart's points ({@code series,bytes,busbw_gbps,time_us}),
 *                         or null
 * @param options          communicator options ({@code --option k=v}), in command-line order
 * @param sizeBudgetMs     time one size may take before its iterations are scaled down; 0 = never scale
 * @param warmupMs         least time each size and mode spends warming up (after the {@code -w} calls), so
 *                         code the JIT recompiles for that size is ready before timing; 0 = only {@code -w}
 * @param jitWarmupSeconds time spent before the sweep calling every size of it, so the
 *                         JIT has compiled the hot paths before anything is timed; 0 = none
 * @param jobTimeoutSeconds overall limit of a {@code --ranks} launch
 * @param jvmArgs          extra JVM arguments for launched ranks ({@code --jvm-arg})
 * @param help             whether {@code -h} was given (nothing else is then required)
 */
public record PerfOptions(PerfCollective collective, long minBytes, long maxBytes, long stepFactor, long stepBytes,
                          int iterations, int warmupIterations, boolean check, DataType type, ReduceOp op, int root,
                          String algorithm, String transport, long timeoutSeconds, int ranks, Path jsonFile,
                          Path csvFile, Path chartFile, Path pointsFile, Map<String, String> options,
                          long sizeBudgetMs, long warmupMs, long jitWarmupSeconds, long jobTimeoutSeconds, List<String> jvmArgs,
                          boolean help) {

    public static final int DEFAULT_ITERATIONS = 20;
    public static final int DEFAULT_WARMUP_ITERATIONS = 5;
    public static final long DEFAULT_SIZE_BUDGET_MS = 2000;
    public static final long DEFAULT_JOB_TIMEOUT_SECONDS = 1800;

    /** Every flag: short form (or null), long form, value name (null for none), one line of help. */
    private static final List<Flag> FLAGS = List.of(
            new Flag("-b", "--minbytes", "SIZE", "first message size, K/M/G suffixes (default 32M)"),
            new Flag("-e", "--maxbytes", "SIZE", "last message size (default 32M)"),
            new Flag("-f", "--stepfactor", "F", "multiply the size by F each step (default 1 = add -i)"),
            new Flag("-i", "--stepbytes", "SIZE", "add SIZE each step when -f is 1 (default 1M)"),
            new Flag("-n", "--iters", "N", "timed iterations per size (default " + DEFAULT_ITERATIONS
                    + "; reduced for sizes over the budget)"),
            new Flag("-w", "--warmup_iters", "N", "warm-up iterations per size (default "
                    + DEFAULT_WARMUP_ITERATIONS + ")"),
            new Flag("-c", "--check", "0|1", "verify the results and count wrong elements (default 1)"),
            new Flag("-d", "--datatype", "TYPE", "float32 (float), float16 (half), bfloat16, int32, ... (default float32)"),
            new Flag("-o", "--op", "OP", "sum, prod, min, max, avg, band, bor, bxor (default sum)"),
            new Flag("-r", "--root", "RANK", "root of broadcast and reduce (default 0)"),
            new Flag("-a", "--algorithm", "NAME", "force an algorithm (ring, tree, ...); default: the selector's"),
            new Flag("-t", "--transport", "NAME", "transport (default tcp)"),
            new Flag("-T", "--timeout", "SECONDS", "deadline of each call (default: the communicator's)"),
            new Flag(null, "--ranks", "N", "launch N local ranks; without it, join a job from the environment"),
            new Flag(null, "--json", "FILE", "write the results as JSON (rank 0)"),
            new Flag(null, "--csv", "FILE", "write the results as CSV (rank 0)"),
            new Flag(null, "--chart", "FILE.png", "draw bus bandwidth vs size as a PNG chart (rank 0)"),
            new Flag(null, "--points", "FILE.csv", "write the chart's points, to combine runs with ChartTool (rank 0)"),
            new Flag(null, "--option", "K=V", "communicator option, e.g. jccl.lanes=4 (repeatable)"),
            new Flag(null, "--size-budget-ms", "MS", "scale -n/-w down so one size takes about MS (default "
                    + DEFAULT_SIZE_BUDGET_MS + "; 0 = never)"),
            new Flag(null, "--warmup-ms", "MS", "keep warming up each size and mode for at least MS after the -w"
                    + " calls (default 0)"),
            new Flag(null, "--jit-warmup", "SECONDS", "before the sweep, call every size of it for"
                    + " this long so the JIT reaches steady state (default 0)"),
            new Flag(null, "--job-timeout", "SECONDS", "kill a --ranks launch after this long (default "
                    + DEFAULT_JOB_TIMEOUT_SECONDS + ")"),
            new Flag(null, "--jvm-arg", "ARG", "extra JVM argument for launched ranks (repeatable)"),
            new Flag("-h", "--help", null, "print this help"));

    public PerfOptions {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        jvmArgs = List.copyOf(jvmArgs);
    }

    /** The usage text: synopsis and every flag. */
    public static String usage() {
        StringBuilder b = new StringBuilder();
        b.append("Usage: jccl-perf <collective> [flags]\n");
        b.append("  <collective>: ").append(PerfCollective.names()).append('\n');
        b.append("  Example: jccl-perf allreduce --ranks 4 -b 8 -e 64M -f 4 -c 1\n");
        for (Flag f : FLAGS) {
            String names = (f.shortName == null ? "    " : f.shortName + ", ") + f.longName
                    + (f.valueName == null ? "" : " " + f.valueName);
            b.append(String.format("  %-30s %s%n", names, f.help));
        }
        return b.toString();
    }

    /** The valid flags, for error messages: {@code -b/--minbytes, -e/--maxbytes, ...}. */
    public static String flagList() {
        StringBuilder b = new StringBuilder();
        for (Flag f : FLAGS) {
            b.append(b.length() == 0 ? "" : ", ").append(f.shortName == null ? "" : f.shortName + "/").append(f.longName);
        }
        return b.toString();
    }

    /**
     * Parses a command line ({@code allreduce -b 8 -e 64M ...}). Flags take their value as the next
     * argument or after {@code =} for long forms ({@code --json=out.json}).
     *
     * @throws PerfUsageException naming the offending argument
     */
    public static PerfOptions parse(List<String> args) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        String collectiveName = null;
        boolean help = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-") || arg.equals("-")) {
                if (collectiveName != null) {
                    throw new PerfUsageException("Unexpected argument '" + arg + "': the collective is already '"
                            + collectiveName + "'; flags start with '-'");
                }
                collectiveName = arg;
                continue;
            }
            String name = arg;
            String inlineValue = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inlineValue = arg.substring(eq + 1);
            }
            Flag flag = find(name);
            if (flag == null) {
                throw new PerfUsageException("Unknown flag '" + name + "'; valid flags: " + flagList());
            }
            if (flag.valueName == null) {
                help = true;
                continue;
            }
            String value = inlineValue;
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new PerfUsageException("Flag " + name + " needs a value (" + flag.valueName + ")");
                }
                value = args.get(++i);
            }
            values.computeIfAbsent(flag.longName, k -> new ArrayList<>()).add(value);
        }
        if (help) {
            return defaults(PerfCollective.ALLREDUCE, true);
        }
        if (collectiveName == null) {
            throw new PerfUsageException("Name the collective to measure first: one of " + PerfCollective.names());
        }
        PerfCollective collective;
        try {
            collective = PerfCollective.parse(collectiveName);
        } catch (IllegalArgumentException e) {
            throw new PerfUsageException(e.getMessage(), e);
        }
        return build(collective, values);
    }

    private static PerfOptions defaults(PerfCollective collective, boolean help) {
        return new PerfOptions(collective, 32L << 20, 32L << 20, 1, 1L << 20, DEFAULT_ITERATIONS,
                DEFAULT_WARMUP_ITERATIONS, true, DataType.FLOAT32, ReduceOp.SUM, 0, null, "tcp", 0, 0, null, null,
                null, null, Map.of(), DEFAULT_SIZE_BUDGET_MS, 0, 0, DEFAULT_JOB_TIMEOUT_SECONDS, List.of(), help);
    }

    private static PerfOptions build(PerfCollective collective, Map<String, List<String>> v) {
        PerfOptions d = defaults(collective, false);
        long minBytes = bytes(v, "--minbytes", d.minBytes);
        // Like nccl-tests, a lone -b above the default -e measures that one size.
        long maxBytes = bytes(v, "--maxbytes", Math.max(d.maxBytes, minBytes));
        long stepFactor = number(v, "--stepfactor", d.stepFactor, 1, 1L << 20);
        long stepBytes = bytes(v, "--stepbytes", d.stepBytes);
        try {
            SizeSweep.sizes(minBytes, maxBytes, stepFactor, stepBytes);
        } catch (IllegalArgumentException e) {
            throw new PerfUsageException(e.getMessage(), e);
        }
        int iterations = (int) number(v, "--iters", d.iterations, 1, 1_000_000_000);
        int warmups = (int) number(v, "--warmup_iters", d.warmupIterations, 0, 1_000_000_000);
        long checkValue = number(v, "--check", 1, 0, 1);
        DataType type = d.type;
        String typeText = last(v, "--datatype");
        if (typeText != null) {
            try {
                type = DataType.parse(typeText);
            } catch (IllegalArgumentException e) {
                throw new PerfUsageException("-d: " + e.getMessage(), e);
            }
        }
        ReduceOp op = d.op;
        String opText = last(v, "--op");
        if (opText != null) {
            try {
                op = ReduceOp.parse(opText);
            } catch (IllegalArgumentException e) {
                throw new PerfUsageException("-o: " + e.getMessage(), e);
            }
        }
        if (collective.reduces() && !op.supports(type)) {
            throw new PerfUsageException("-o " + op.shortName() + " is not defined for -d " + type.shortName()
                    + "; bitwise ops need an integer type (int8, uint8, int32, int64)");
        }
        int root = (int) number(v, "--root", 0, 0, Integer.MAX_VALUE);
        String algorithm = last(v, "--algorithm");
        if (algorithm != null && algorithm.isBlank()) {
            throw new PerfUsageException("-a needs an algorithm name, e.g. ring");
        }
        String transport = last(v, "--transport");
        if (transport == null) {
            transport = d.transport;
        } else if (transport.isBlank()) {
            throw new PerfUsageException("-t needs a transport name, e.g. tcp");
        }
        long timeoutSeconds = number(v, "--timeout", 0, 0, 365L * 24 * 3600);
        int ranks = (int) number(v, "--ranks", 0, 1, 4096);
        if (ranks > 0 && collective.rooted() && root >= ranks) {
            throw new PerfUsageException("-r " + root + " is not a rank of a " + ranks + "-rank job; use 0.."
                    + (ranks - 1));
        }
        Path json = path(v, "--json");
        Path csv = path(v, "--csv");
        Path chart = path(v, "--chart");
        Path points = path(v, "--points");
        Map<String, String> options = new LinkedHashMap<>();
        for (String kv : v.getOrDefault("--option", List.of())) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new PerfUsageException("--option needs KEY=VALUE, e.g. --option jccl.lanes=4; got '" + kv + "'");
            }
            options.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        long budgetMs = number(v, "--size-budget-ms", d.sizeBudgetMs, 0, Long.MAX_VALUE / 1_000_000);
        long warmupMs = number(v, "--warmup-ms", d.warmupMs, 0, 3_600_000);
        long jitWarmup = number(v, "--jit-warmup", d.jitWarmupSeconds, 0, 3600);
        long jobTimeout = number(v, "--job-timeout", d.jobTimeoutSeconds, 1, 365L * 24 * 3600);
        List<String> jvmArgs = v.getOrDefault("--jvm-arg", List.of());
        return new PerfOptions(collective, minBytes, maxBytes, stepFactor, stepBytes, iterations, warmups,
                checkValue == 1, type, op, root, algorithm, transport, timeoutSeconds, ranks, json, csv, chart, points,
                options, budgetMs, warmupMs, jitWarmup, jobTimeout, jvmArgs, false);
    }

    /**
     * Checks what needs the world size, which a rank joining from the environment learns only when
     * its communicator is built.
     *
     * @throws PerfUsageException when the root is not a rank of the job
     */
    public void checkAgainstWorldSize(int worldSize) {
        if (collective.rooted() && root >= worldSize) {
            throw new PerfUsageException("-r " + root + " is not a rank of this " + worldSize + "-rank job; use 0.."
                    + (worldSize - 1));
        }
    }

    /** The sizes of the sweep, in bytes, before rounding to whole elements. */
    public List<Long> sizes() {
        return SizeSweep.sizes(minBytes, maxBytes, stepFactor, stepBytes);
    }

    /**
     * The command line a launched rank runs: these arguments without {@code --ranks} and the
     * launcher-only flags, so the rank joins the job from the environment the launcher sets.
     */
    public static List<String> workerArguments(List<String> args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg.startsWith("--") && arg.indexOf('=') > 0 ? arg.substring(0, arg.indexOf('=')) : arg;
            boolean launcherOnly = name.equals("--ranks") || name.equals("--job-timeout") || name.equals("--jvm-arg");
            if (launcherOnly) {
                if (name.equals(arg)) {
                    i++;
                }
                continue;
            }
            out.add(arg);
        }
        return out;
    }

    private static Flag find(String name) {
        for (Flag f : FLAGS) {
            if (name.equals(f.shortName) || name.equals(f.longName)) {
                return f;
            }
        }
        return null;
    }

    private static String last(Map<String, List<String>> v, String longName) {
        List<String> l = v.get(longName);
        return l == null ? null : l.get(l.size() - 1);
    }

    private static String display(String longName) {
        Flag f = find(longName);
        return f.shortName != null ? f.shortName : f.longName;
    }

    private static long bytes(Map<String, List<String>> v, String longName, long fallback) {
        String text = last(v, longName);
        if (text == null) {
            return fallback;
        }
        try {
            return ByteSizes.parse(text);
        } catch (IllegalArgumentException e) {
            throw new PerfUsageException(display(longName) + ": " + e.getMessage(), e);
        }
    }

    private static long number(Map<String, List<String>> v, String longName, long fallback, long min, long max) {
        String text = last(v, longName);
        if (text == null) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new PerfUsageException(display(longName) + " needs a whole number, got '" + text + "'", e);
        }
        if (value < min || value > max) {
            throw new PerfUsageException(display(longName) + " must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    private static Path path(Map<String, List<String>> v, String longName) {
        String text = last(v, longName);
        if (text == null) {
            return null;
        }
        if (text.isBlank()) {
            throw new PerfUsageException(longName + " needs a file name");
        }
        return Path.of(text);
    }

    private record Flag(String shortName, String longName, String valueName, String help) {
    }
}
