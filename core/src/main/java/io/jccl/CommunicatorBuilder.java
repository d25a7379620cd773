package io.jccl;

import io.jccl.bootstrap.BootstrapEnvironment;
import io.jccl.bootstrap.FileStore;
import io.jccl.bootstrap.Rendezvous;
import io.jccl.bootstrap.Store;
import io.jccl.bootstrap.TcpStore;
import io.jccl.config.Configuration;
import io.jccl.config.CoreOptions;
import io.jccl.config.Option;
import io.jccl.engine.ProgressEngine;
import io.jccl.reduce.Reductions;
import io.jccl.schedule.AlgorithmProvider;
import io.jccl.schedule.AlgorithmSelector;
import io.jccl.schedule.CollectiveKind;
import io.jccl.spi.Transport;
import io.jccl.spi.TransportProvider;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

/**
 * Builds a {@link Communicator}: say who this rank is (explicitly or {@link #fromEnvironment()}),
 * pick a transport, optionally set options; {@link #build()} meets the other ranks and returns a
 * ready communicator. Not thread-safe; use once.
 */
public final class CommunicatorBuilder {
    private final Map<String, String> options = new LinkedHashMap<>();
    private boolean fromEnvironment;
    private Store store;
    private String storePrefix = "jccl";

    CommunicatorBuilder() {
    }

    /** This process's rank. */
    public CommunicatorBuilder rank(int rank) {
        return option(CoreOptions.RANK.property(), Integer.toString(rank));
    }

    /** Number of ranks in the job. */
    public CommunicatorBuilder worldSize(int worldSize) {
        return option(CoreOptions.WORLD_SIZE.property(), Integer.toString(worldSize));
    }

    /** Where rank 0 hosts the rendezvous store. */
    public CommunicatorBuilder master(String host, int port) {
        option(CoreOptions.MASTER_ADDR.property(), host);
        return option(CoreOptions.MASTER_PORT.property(), Integer.toString(port));
    }

    /**
     * Takes rank, world size and master from the environment when not given explicitly:
     * {@code JCCL_RANK/JCCL_WORLD_SIZE/JCCL_MASTER_ADDR/JCCL_MASTER_PORT}, or torchrun's, Open MPI's
     * or Slurm's variables.
     */
    public CommunicatorBuilder fromEnvironment() {
        this.fromEnvironment = true;
        return this;
    }

    /** Transport by name: {@code tcp}, {@code loopback}, ... (option {@code jccl.transport}). */
    public CommunicatorBuilder transport(String name) {
        return option(CoreOptions.TRANSPORT.property(), name);
    }

    /** Default deadline of every call (option {@code jccl.timeout.ms}). */
    public CommunicatorBuilder timeout(Duration timeout) {
        return option(CoreOptions.TIMEOUT_MS.property(), Long.toString(Math.max(1, timeout.toMillis())));
    }

    /** Sets any option by property ({@code jccl.lanes}) or environment name ({@code JCCL_LANES}). */
    public CommunicatorBuilder option(String name, String value) {
        options.put(name, value);
        return this;
    }

    /**
     * Uses {@code store} for the rendezvous instead of the TCP store hosted by rank 0 (e.g. an
     * in-memory store for ranks as threads). The caller keeps ownership.
     *
     * @param prefix key prefix, distinct per communicator sharing the store
     */
    public CommunicatorBuilder store(Store store, String prefix) {
        this.store = store;
        this.storePrefix = prefix;
        return this;
    }

    /**
     * Meets the other ranks and returns the communicator. Blocks up to {@code jccl.bootstrap.timeout.ms}.
     *
     * @throws IllegalArgumentException for unknown or invalid options and missing rank information
     * @throws JcclException            when the rendezvous fails (names the missing or conflicting ranks)
     */
    public Communicator build() {
        List<TransportProvider> providers = new ArrayList<>();
        ServiceLoader.load(TransportProvider.class).forEach(providers::add);
        List<AlgorithmProvider> algorithms = new ArrayList<>();
        ServiceLoader.load(AlgorithmProvider.class).forEach(algorithms::add);
        List<Option<?>> known = new ArrayList<>(CoreOptions.all());
        for (TransportProvider p : providers) {
            known.addAll(p.options());
        }
        Configuration config = Configuration.resolve(options, known, BootstrapEnvironment.VARIABLES);

        int rank = config.get(CoreOptions.RANK);
        int worldSize = config.get(CoreOptions.WORLD_SIZE);
        String masterAddr = config.get(CoreOptions.MASTER_ADDR);
        int masterPort = config.get(CoreOptions.MASTER_PORT);
        if ((rank < 0 || worldSize < 0) && fromEnvironment) {
            BootstrapEnvironment env = BootstrapEnvironment.detect(System.getenv());
            rank = rank < 0 ? env.rank() : rank;
            worldSize = worldSize < 0 ? env.worldSize() : worldSize;
            masterAddr = masterAddr.isEmpty() ? env.masterAddr() : masterAddr;
            masterPort = masterPort < 0 ? env.masterPort() : masterPort;
        }
        if (rank < 0 || worldSize < 0) {
            throw new IllegalArgumentException("Rank and world size are not set: call rank(r).worldSize(n), or"
                    + " fromEnvironment() with JCCL_RANK/JCCL_WORLD_SIZE (or torchrun, mpirun, Slurm) variables set");
        }
        if (worldSize < 1 || rank >= worldSize) {
            throw new IllegalArgumentException("Rank " + rank + " is out of range for world size " + worldSize
                    + "; ranks are 0.." + (worldSize - 1));
        }
        masterAddr = masterAddr.isEmpty() ? "127.0.0.1" : masterAddr;
        masterPort = masterPort < 0 ? 29500 : masterPort;

        String transportName = config.get(CoreOptions.TRANSPORT);
        TransportProvider provider = null;
        List<String> names = new ArrayList<>();
        for (TransportProvider p : providers) {
            names.add(p.name());
            if (p.name().equalsIgnoreCase(transportName)) {
                provider = p;
            }
        }
        if (provider == null) {
            throw new IllegalArgumentException("Unknown transport '" + transportName + "'; installed: " + names
                    + ". Add the jccl-transport-" + transportName + " dependency or pick an installed one");
        }
        if (!provider.isAvailable()) {
            Throwable cause = provider.unavailabilityCause();
            throw new JcclException("Transport '" + transportName + "' cannot run here: "
                    + (cause == null ? "unknown reason" : cause.getMessage()), cause);
        }
        Map<CollectiveKind, String> configured = new EnumMap<>(CollectiveKind.class);
        for (CollectiveKind k : CollectiveKind.values()) {
            if (k != CollectiveKind.SEND && k != CollectiveKind.RECV) {
                configured.put(k, config.get(CoreOptions.algorithm(k)));
            }
        }
        AlgorithmSelector selector = new AlgorithmSelector(algorithms, configured, worldSize);
        // The kernels are chosen once per JVM from the system property or environment; a value given
        // only in code cannot change them, so it is refused rather than ignored.
        String kernels = config.get(CoreOptions.REDUCE_KERNELS);
        if ((options.containsKey(CoreOptions.REDUCE_KERNELS.property())
                || options.containsKey(CoreOptions.REDUCE_KERNELS.env())) && !kernels.equals(Reductions.kernelMode())) {
            throw new IllegalArgumentException("jccl.reduce.kernels=" + kernels + " was set in code, but the reduce"
                    + " kernels are chosen once per JVM (now: " + Reductions.kernels() + "); set it as the system"
                    + " property -Djccl.reduce.kernels or the environment variable JCCL_REDUCE_KERNELS instead");
        }
        Reductions.checkKernelConfiguration();
        if (config.get(CoreOptions.PRINT_CONFIGURATION) && rank == 0) {
            System.out.print(config.describe());
            System.out.println("  reduce kernels: " + Reductions.kernels());
        }

        long bootstrapNs = TimeUnit.MILLISECONDS.toNanos(config.get(CoreOptions.BOOTSTRAP_TIMEOUT_MS));
        Store s = store;
        boolean ownStore = s == null;
        String storeKind = config.get(CoreOptions.STORE);
        if (s == null) {
            if (storeKind.startsWith("file:")) {
                s = new FileStore(Path.of(storeKind.substring("file:".length())));
            } else if (storeKind.equals("tcp")) {
                s = TcpStore.forRank(rank, masterAddr, masterPort, bootstrapNs);
            } else {
                throw new IllegalArgumentException("Invalid jccl.store '" + storeKind + "': use tcp or file:/dir");
            }
        }
        ProgressEngine engine = null;
        Transport transport = null;
        try {
            Rendezvous.Result hello = Rendezvous.exchange(s, storePrefix + "/hello", rank, worldSize, new byte[0],
                    bootstrapNs);
            engine = new ProgressEngine(rank, worldSize, hello.communicatorId(), config,
                    advertiseAddress(masterAddr, masterPort));
            transport = provider.open(engine, engine);
            Rendezvous.Result peers = Rendezvous.exchange(s, storePrefix + "/address", rank, worldSize,
                    transport.localAddress(), bootstrapNs);
            engine.start(transport, peers.payloads());
            // Rank 0 hosts the TCP store: it may stop it only once every rank has read what it needs.
            s.add(storePrefix + "/ready", 1);
            if (ownStore && rank == 0) {
                awaitCount(s, storePrefix + "/ready", worldSize, bootstrapNs);
            }
        } catch (RuntimeException e) {
            if (engine != null) {
                engine.close();
            } else if (transport != null) {
                transport.close();
            }
            if (ownStore) {
                s.close();
            }
            throw e;
        }
        if (ownStore) {
            s.close();
        }
        return new Communicator(rank, worldSize, provider.name(), config, selector, engine);
    }

    private static void awaitCount(Store s, String key, int expected, long timeoutNs) {
        long deadline = System.nanoTime() + timeoutNs;
        while (s.add(key, 0) < expected) {
            if (System.nanoTime() - deadline > 0) {
                throw new JcclTimeoutException("Not every rank finished the rendezvous within "
                        + TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JcclException("Interrupted during rendezvous");
            }
        }
    }

    /** The local address that routes to the master; no packet is sent (UDP connect only picks a route). */
    private static InetAddress advertiseAddress(String masterAddr, int masterPort) {
        try {
            InetAddress master = InetAddress.getByName(masterAddr);
            if (master.isLoopbackAddress() || master.isAnyLocalAddress()) {
                return InetAddress.getLoopbackAddress();
            }
            try (DatagramSocket probe = new DatagramSocket()) {
                probe.connect(new InetSocketAddress(master, Math.max(1, masterPort)));
                return probe.getLocalAddress();
            }
        } catch (IOException e) {
            throw new JcclException("Cannot resolve the master address '" + masterAddr + "': " + e.getMessage()
                    + "; check JCCL_MASTER_ADDR", e);
        }
    }
}
