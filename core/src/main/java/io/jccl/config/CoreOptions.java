package io.jccl.config;

import io.jccl.schedule.CollectiveKind;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Options of the core module: bootstrap, engine and algorithm selection. */
public final class CoreOptions {
    public static final Option<Integer> RANK = Option.integer("jccl.rank", -1, -1, Integer.MAX_VALUE,
            "This process's rank; -1 = take it from torchrun/mpirun/Slurm variables.");
    public static final Option<Integer> WORLD_SIZE = Option.integer("jccl.world.size", -1, -1, Integer.MAX_VALUE,
            "Number of ranks; -1 = take it from torchrun/mpirun/Slurm variables.");
    public static final Option<Integer> LOCAL_RANK = Option.integer("jccl.local.rank", -1, -1, Integer.MAX_VALUE,
            "Rank among the processes on this host (set by the launcher; informational).");
    public static final Option<String> MASTER_ADDR = Option.string("jccl.master.addr", "",
            "Host of rank 0's rendezvous store; empty = MASTER_ADDR or 127.0.0.1.");
    public static final Option<Integer> MASTER_PORT = Option.integer("jccl.master.port", -1, -1, 65535,
            "Port of rank 0's rendezvous store; -1 = MASTER_PORT or 29500.");
    public static final Option<String> STORE = Option.string("jccl.store", "tcp",
            "Rendezvous store: 'tcp' (hosted by rank 0) or 'file:/shared/dir' (single host).");
    public static final Option<String> TRANSPORT = Option.string("jccl.transport", "tcp",
            "Transport by name: tcp, loopback (in-JVM tests), aeron-udp, aeron-ipc, rdma.");
    public static final Option<Long> TIMEOUT_MS = Option.longValue("jccl.timeout.ms", 300_000, 1, Long.MAX_VALUE / 2_000_000,
            "Default deadline of every collective and blocking call, in milliseconds.");
    public static final Option<Long> BOOTSTRAP_TIMEOUT_MS = Option.longValue("jccl.bootstrap.timeout.ms", 120_000, 1,
            Long.MAX_VALUE / 2_000_000, "How long building a communicator waits for all ranks, in milliseconds.");
    public static final Option<Integer> SLICE_BYTES = Option.integer("jccl.slice.bytes", 256 * 1024, 64, 1 << 30,
            "Pipelining granularity: algorithms split transfers into slices of this many bytes.");
    public static final Option<Integer> LANES = Option.integer("jccl.lanes", 2, 1, 64,
            "Independent lanes (channels) an algorithm may use; transports may map them to connections.");
    public static final Option<Integer> WINDOW = Option.integer("jccl.engine.window", 256, 1, 4096,
            "Steps of one lane the engine keeps in flight at once (posted receives let data be reduced as it arrives).");
    public static final Option<Integer> POLL_US = Option.integer("jccl.poll.us", 20, 0, 10_000_000,
            "Microseconds a waiting thread keeps polling, yielding the core between polls, before it sleeps, for"
                    + " calls under 64 KiB: the caller of a blocking call, and the progress thread while a collective"
                    + " runs and just after. 0 sleeps at once (least CPU, most latency).");
    public static final Option<Integer> POLL_STREAM_US = Option.integer("jccl.poll.stream.us", 100, 0, 10_000_000,
            "Like jccl.poll.us, for calls of 64 KiB and more, whose slices stream in with longer gaps: a thread"
                    + " that slept between slices would pay a wake-up per slice.");
    public static final Option<String> REDUCE_KERNELS = Option.choice("jccl.reduce.kernels", "auto",
            "Reduce kernels of this JVM (read once, from the system property or environment): auto = native where the"
                    + " bundled library loads, else Java; native = fail if it cannot load; java = never load it.",
            "auto", "native", "java");
    public static final Option<Boolean> PRINT_CONFIGURATION = Option.bool("jccl.print.configuration", false,
            "Print the effective configuration when a communicator is built.");

    private static final Map<CollectiveKind, Option<String>> ALGORITHM = new EnumMap<>(CollectiveKind.class);

    static {
        for (CollectiveKind k : CollectiveKind.values()) {
            if (k != CollectiveKind.SEND && k != CollectiveKind.RECV) {
                ALGORITHM.put(k, Option.string("jccl.algo." + k.key(), "",
                        "Algorithm for " + k.key() + ": a name (ring) or size rules (0-64K:recursive_doubling#64K-inf:ring);"
                                + " empty = default table."));
            }
        }
    }

    private CoreOptions() {
    }

    /** The algorithm option of {@code kind}, e.g. {@code jccl.algo.allreduce} / {@code JCCL_ALGO_ALLREDUCE}. */
    public static Option<String> algorithm(CollectiveKind kind) {
        Option<String> o = ALGORITHM.get(kind);
        if (o == null) {
            throw new IllegalArgumentException(kind + " has no algorithm choice");
        }
        return o;
    }

    /** Every core option. */
    public static List<Option<?>> all() {
        List<Option<?>> l = new ArrayList<>(List.of(RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT, STORE,
                TRANSPORT, TIMEOUT_MS, BOOTSTRAP_TIMEOUT_MS, SLICE_BYTES, LANES, WINDOW, POLL_US, POLL_STREAM_US,
                REDUCE_KERNELS, PRINT_CONFIGURATION));
        l.addAll(ALGORITHM.values());
        return Collections.unmodifiableList(l);
    }
}
