package io.jccl.bench.perf;

import io.jccl.CallOptions;
import io.jccl.Collectives;
import io.jccl.Communicator;
import io.jccl.DataType;
import io.jccl.ReduceOp;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the sweep of one {@link PerfOptions} on one rank of a communicator. Every rank of the job
 * runs the same sweep; the ranks agree on iteration counts, times and wrong counts through small
 * allreduces, so every rank ends with the same {@link PerfReport}. Rank 0 prints the table as it
 * goes.
 *
 * <p>Per size: one probe call, whose time (the maximum over ranks) scales the iterations down to
 * the size budget (a second probe confirms before any cut); then out of place and in place each: warm-up calls, a barrier, and the timed
 * calls, each timed on its own for the percentiles; the mean per call is the loop's time divided by
 * the calls. With {@code -c 1} each mode then runs once more on fresh verifiable data, and the
 * wrong elements are summed over ranks.
 *
 * <p>Not thread-safe; run once per instance.
 */
public final class PerfRunner {
    private final Communicator comm;
    private final Collectives calls;
    private final PerfOptions options;
    private final PrintStream table;
    private final int rank;
    private final int ranks;
    private final PerfCollective collective;
    private final DataType type;
    private final ReduceOp op;
    private final int root;
    private final ByteBuffer control;
    private ByteBuffer in;
    private ByteBuffer out;

    /**
     * @param comm    the communicator; the caller keeps ownership
     * @param options what to measure
     * @param table   where the table goes (rank 0's stdout), or null for no printing
     */
    public PerfRunner(Communicator comm, PerfOptions options, PrintStream table) {
        this.comm = comm;
        this.options = options;
        this.table = table;
        this.rank = comm.rank();
        this.ranks = comm.worldSize();
        this.collective = options.collective();
        this.type = options.type();
        this.op = options.op();
        this.root = collective.rooted() ? options.root() : 0;
        this.calls = options.algorithm() == null ? comm : comm.with(CallOptions.algorithm(options.algorithm()));
        this.control = comm.allocate(2 * Long.BYTES);
        options.checkAgainstWorldSize(ranks);
    }

    /** Runs every size; returns the report (identical on every rank). */
    public PerfReport run() {
        List<MessageShape> shapes = new ArrayList<>();
        long maxElements = 0;
        for (long size : options.sizes()) {
            MessageShape s = collective.shape(size, type, ranks);
            shapes.add(s);
            maxElements = Math.max(maxElements, Math.max(s.inPlaceElements(),
                    Math.max(s.inputElements(), s.outputElements())));
        }
        in = comm.allocate(maxElements * type.sizeBytes());
        out = comm.allocate(maxElements * type.sizeBytes());
        CheckData data = new CheckData(collective, type, op, ranks, root);
        PerfReport report = new PerfReport(options, ranks, comm.transportName());
        print(report.headerLines());
        jitWarmup(shapes);
        for (MessageShape shape : shapes) {
            PerfRow row = measure(shape, data);
            report.add(row);
            print(List.of(report.rowLine(row)));
        }
        print(report.footerLines());
        finish();
        return report;
    }

    /**
     * Calls every size of the sweep, out of place and in place, and the tool's own control calls,
     * for about {@code --jit-warmup} seconds: a JVM is at its steady speed only once the JIT has
     * compiled the hot paths, which on a loaded machine takes seconds. Every size takes part, not
     * only the smallest and the largest: a middle size takes branches of the transport and the
     * engine that neither end takes (a message just over a read buffer, a block of one slice), and
     * a branch first taken inside a timed loop makes the JIT drop compiled code and compile it
     * again there, which with four ranks on two cores cost the middle rows milliseconds per call.
     * Rank 0 keeps the time; after every round all ranks learn from it whether another follows, so
     * every rank makes the same calls.
     */
    private void jitWarmup(List<MessageShape> shapes) {
        long seconds = options.jitWarmupSeconds();
        if (seconds <= 0) {
            return;
        }
        long[] scratch = new long[10];
        repeatFor(TimeUnit.SECONDS.toNanos(seconds), () -> {
            for (int i = 0; i < shapes.size(); i++) {
                int calls = i == 0 ? 10 : 2;
                timedLoop(shapes.get(i), false, calls, scratch);
                timedLoop(shapes.get(i), true, calls, scratch);
            }
            // The tool's own small calls too: a type the JIT has not seen in its profiles would make
            // it drop compiled code (deoptimise) in the middle of the first timed loop.
            maxOverRanks(0, 0);
            sumOverRanks(0, 0);
            comm.barrier();
        });
    }

    /**
     * Runs {@code round} again and again for at least {@code durationNs} of rank 0's clock; after
     * every round all ranks learn from rank 0 whether another follows, so all make the same calls.
     */
    private void repeatFor(long durationNs, Runnable round) {
        long endNs = System.nanoTime() + durationNs;
        boolean more = true;
        while (more) {
            round.run();
            control.putDouble(0, rank == 0 && System.nanoTime() - endNs < 0 ? 1 : 0);
            comm.broadcast(control, 1, DataType.FLOAT64, 0);
            more = control.getDouble(0) == 1;
        }
    }

    /**
     * Waits until every rank has its results before anyone closes: a rank that closes its
     * communicator while a peer still waits for its last message makes that peer fail. A failure
     * of this last barrier alone cannot change the results, so it is reported, not fatal.
     */
    private void finish() {
        try {
            comm.barrier();
        } catch (RuntimeException e) {
            System.err.println("jccl-perf: rank " + rank + ": warning: the final barrier failed after every"
                    + " result was in (" + e.getMessage() + ")");
        }
    }

    private PerfRow measure(MessageShape shape, CheckData data) {
        // Realistic values for the timed calls; the out buffer doubles as the in-place buffer.
        data.prepare(shape, rank, false, in, out, null);
        long budgetNs = TimeUnit.MILLISECONDS.toNanos(options.sizeBudgetMs());
        long probeNs = (long) maxOverRanks(timeOneCall(shape), 0)[0];
        int[] iters = Timings.iterationsWithin(options.iterations(), options.warmupIterations(), probeNs, budgetNs);
        if (iters[0] < options.iterations()) {
            // A size's first call may pay one-time costs (class loading, JIT, first touch of the
            // buffers, connection setup); look again before cutting iterations. Every rank takes
            // this branch or none, since all decide on the same maximum.
            probeNs = Math.min(probeNs, (long) maxOverRanks(timeOneCall(shape), 0)[0]);
            iters = Timings.iterationsWithin(options.iterations(), options.warmupIterations(), probeNs, budgetNs);
        }
        ModeTimes outOfPlace = time(shape, false, iters[0], iters[1]);
        data.prepare(shape, rank, true, null, null, out);
        ModeTimes inPlace = time(shape, true, iters[0], iters[1]);
        double[] meanNs = maxOverRanks(outOfPlace.meanNs, inPlace.meanNs);
        long wrongOutOfPlace = Measurement.NOT_CHECKED;
        long wrongInPlace = Measurement.NOT_CHECKED;
        if (options.check()) {
            data.prepare(shape, rank, false, in, out, null);
            call(shape, false);
            long local0 = data.countWrong(shape, rank, false, out, null);
            data.prepare(shape, rank, true, null, null, out);
            call(shape, true);
            long local1 = data.countWrong(shape, rank, true, null, out);
            long[] sums = sumOverRanks(local0, local1);
            wrongOutOfPlace = sums[0];
            wrongInPlace = sums[1];
        }
        return new PerfRow(shape.sizeBytes(), shape.countElements(), type.shortName(),
                collective.reduces() ? op.shortName() : "none", collective.rooted() ? root : -1, iters[0], iters[1],
                algorithm(shape),
                Measurement.of(collective, ranks, shape.sizeBytes(), meanNs[0], wrongOutOfPlace, outOfPlace.p50Ns,
                        outOfPlace.p99Ns),
                Measurement.of(collective, ranks, shape.sizeBytes(), meanNs[1], wrongInPlace, inPlace.p50Ns,
                        inPlace.p99Ns));
    }

    private ModeTimes time(MessageShape shape, boolean inPlace, int iterations, int warmups) {
        // Warm-up runs the very loop that is timed, so the JIT has compiled that loop too.
        timedLoop(shape, inPlace, warmups, new long[warmups]);
        warmUpFor(options.warmupMs(), shape, inPlace, Math.max(1, Math.min(warmups, iterations)));
        comm.barrier();
        long[] samples = new long[iterations];
        long elapsedNs = timedLoop(shape, inPlace, iterations, samples);
        return new ModeTimes((double) elapsedNs / iterations, Timings.percentile(samples, iterations, 0.5),
                Timings.percentile(samples, iterations, 0.99));
    }

    /** Keeps calling in batches of {@code batch} for at least {@code ms} (see {@link #repeatFor}). */
    private void warmUpFor(long ms, MessageShape shape, boolean inPlace, int batch) {
        if (ms <= 0) {
            return;
        }
        long[] scratch = new long[batch];
        repeatFor(TimeUnit.MILLISECONDS.toNanos(ms), () -> timedLoop(shape, inPlace, batch, scratch));
    }

    /** Makes {@code iterations} calls, each timed into {@code samples}; returns the loop's duration. */
    private long timedLoop(MessageShape shape, boolean inPlace, int iterations, long[] samples) {
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            long t = System.nanoTime();
            call(shape, inPlace);
            samples[i] = System.nanoTime() - t;
        }
        return System.nanoTime() - start;
    }

    private long timeOneCall(MessageShape shape) {
        long start = System.nanoTime();
        call(shape, false);
        return System.nanoTime() - start;
    }

    private void call(MessageShape shape, boolean inPlace) {
        collective.call(calls, shape, type, op, root, inPlace, in, out, out);
    }

    private String algorithm(MessageShape shape) {
        if (options.algorithm() != null) {
            return options.algorithm();
        }
        try {
            return comm.algorithmFor(collective.kind(), shape.countElements(), type);
        } catch (RuntimeException e) {
            return "?";
        }
    }

    /** The element-wise maximum over ranks of two values; the default selection runs it (not {@code -a}). */
    private double[] maxOverRanks(double a, double b) {
        control.putDouble(0, a).putDouble(Double.BYTES, b);
        comm.allReduce(control, 2, DataType.FLOAT64, ReduceOp.MAX);
        return new double[] {control.getDouble(0), control.getDouble(Double.BYTES)};
    }

    private long[] sumOverRanks(long a, long b) {
        control.putLong(0, a).putLong(Long.BYTES, b);
        comm.allReduce(control, 2, DataType.INT64, ReduceOp.SUM);
        return new long[] {control.getLong(0), control.getLong(Long.BYTES)};
    }

    private void print(List<String> lines) {
        if (table != null) {
            lines.forEach(table::println);
            table.flush();
        }
    }

    private record ModeTimes(double meanNs, double p50Ns, double p99Ns) {
    }
}
