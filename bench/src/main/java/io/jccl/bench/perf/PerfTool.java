package io.jccl.bench.perf;

import io.jccl.Communicator;
import io.jccl.CommunicatorBuilder;
import io.jccl.JcclException;
import io.jccl.launch.LaunchResult;
import io.jccl.launch.Launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * {@code jccl-perf <collective> [flags]}: measures one collective over a range of sizes and prints
 * nccl-tests' table. See {@link PerfOptions#usage()} for the flags, {@code bench/README.md} for
 * examples.
 *
 * <p>Two modes. With {@code --ranks N} the tool is a launcher: it starts N local ranks with
 * {@link Launcher}, each running this class without {@code --ranks}, passes rank 0's table
 * through without the {@code [rank 0]} prefix, and exits with the job's exit code. Without it the
 * process is one rank of a job and joins it from the environment ({@code JCCL_*}, torchrun,
 * mpirun or Slurm variables). Only rank 0 prints the table and writes {@code --json}, {@code --csv},
 * {@code --points} and the {@code --chart} PNG; every rank exits non-zero when the run fails or finds
 * a wrong element.
 *
 * <p>Exit codes: 0 success, 1 failure or wrong results, 2 bad command line; with {@code --ranks},
 * the first failed rank's code (124 when {@code --job-timeout} struck).
 */
public final class PerfTool {
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    private PerfTool() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    /** Runs the tool and returns the exit code (main's, without exiting). */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        PerfOptions options;
        try {
            options = PerfOptions.parse(args);
        } catch (PerfUsageException e) {
            err.println("jccl-perf: " + e.getMessage());
            err.println("Run 'jccl-perf -h' for the flags.");
            return EXIT_USAGE;
        }
        if (options.help()) {
            out.print(PerfOptions.usage());
            return 0;
        }
        return options.ranks() > 0 ? launch(options, args, out, err) : runRank(options, out, err);
    }

    private static int launch(PerfOptions options, List<String> args, PrintStream out, PrintStream err) {
        PrintStream table = new PrintStream(new PrefixStrippingOutput(out, "[rank 0] "), false, StandardCharsets.UTF_8);
        try {
            LaunchResult result = Launcher.builder()
                    .nproc(options.ranks())
                    .mainClass(PerfTool.class.getName())
                    .args(PerfOptions.workerArguments(args))
                    .jvmArgs(options.jvmArgs())
                    .timeout(Duration.ofSeconds(options.jobTimeoutSeconds()))
                    .output(table)
                    .errorOutput(err)
                    .run();
            table.close();
            return result.exitCode();
        } catch (JcclException | IllegalArgumentException e) {
            err.println("jccl-perf: cannot launch " + options.ranks() + " ranks: " + e.getMessage());
            return EXIT_FAILURE;
        }
    }

    private static int runRank(PerfOptions options, PrintStream out, PrintStream err) {
        CommunicatorBuilder builder = Communicator.builder().fromEnvironment().transport(options.transport());
        options.options().forEach(builder::option);
        if (options.timeoutSeconds() > 0) {
            builder.timeout(Duration.ofSeconds(options.timeoutSeconds()));
        }
        Communicator comm;
        try {
            comm = builder.build();
        } catch (RuntimeException e) {
            err.println("jccl-perf: cannot join the job: " + e.getMessage());
            if (!isLaunchedRank()) {
                err.println("To start local ranks instead, add --ranks N (e.g. jccl-perf allreduce --ranks 4).");
            }
            return e instanceof IllegalArgumentException ? EXIT_USAGE : EXIT_FAILURE;
        }
        int rank = comm.rank();
        try (comm) {
            PerfReport report = new PerfRunner(comm, options, rank == 0 ? out : null).run();
            if (rank == 0) {
                write(options.jsonFile(), report.json());
                write(options.csvFile(), report.csv());
                write(options.pointsFile(), report.points());
                if (options.chartFile() != null) {
                    report.chart().writePng(options.chartFile());
                }
            }
            if (report.totalWrong() > 0) {
                err.println("jccl-perf: rank " + rank + ": " + report.totalWrong() + " wrong elements over all ranks");
                return EXIT_FAILURE;
            }
            return 0;
        } catch (PerfUsageException e) {
            err.println("jccl-perf: " + e.getMessage());
            return EXIT_USAGE;
        } catch (IOException | RuntimeException e) {
            err.println("jccl-perf: rank " + rank + ": " + describe(e));
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                err.println("  caused by: " + describe(cause));
            }
            return EXIT_FAILURE;
        }
    }

    /** Whether a launcher started this process (then the launcher, not the user, chose the flags). */
    private static boolean isLaunchedRank() {
        return System.getenv("JCCL_RANK") != null;
    }

    private static String describe(Throwable t) {
        // JCCL's own messages say what happened; for anything else the class is part of the story.
        boolean ours = t instanceof JcclException || t instanceof IllegalArgumentException;
        return ours && t.getMessage() != null ? t.getMessage() : t.toString();
    }

    private static void write(Path file, String text) throws IOException {
        if (file == null) {
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
