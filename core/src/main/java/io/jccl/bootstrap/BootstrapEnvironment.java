package io.jccl.bootstrap;

import io.jccl.JcclException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who this process is in the job, read from the environment the launcher left.
 *
 * <p>Conventions, in precedence order (the first whose rank or world-size variable is set wins):
 * <table>
 *   <caption>Environment conventions</caption>
 *   <tr><th>convention</th><th>rank</th><th>world size</th><th>local rank</th></tr>
 *   <tr><td>{@code JCCL}</td><td>JCCL_RANK</td><td>JCCL_WORLD_SIZE</td><td>JCCL_LOCAL_RANK</td></tr>
 *   <tr><td>{@code torchrun}</td><td>RANK</td><td>WORLD_SIZE</td><td>LOCAL_RANK</td></tr>
 *   <tr><td>{@code Open MPI}</td><td>OMPI_COMM_WORLD_RANK</td><td>OMPI_COMM_WORLD_SIZE</td><td>OMPI_COMM_WORLD_LOCAL_RANK</td></tr>
 *   <tr><td>{@code Slurm}</td><td>SLURM_PROCID</td><td>SLURM_NTASKS</td><td>SLURM_LOCALID</td></tr>
 * </table>
 * The master (rank 0's store) address comes from {@code JCCL_MASTER_ADDR}, else
 * {@code MASTER_ADDR}, else {@value #DEFAULT_MASTER_ADDR}; the port from {@code JCCL_MASTER_PORT},
 * else {@code MASTER_PORT}, else {@value #DEFAULT_MASTER_PORT}. The JCCL names win for every
 * convention, so they can move JCCL off a port that torchrun's own store already uses.
 *
 * <p>Immutable.
 *
 * @param rank       this process's rank, in {@code [0, worldSize)}
 * @param worldSize  number of ranks in the job
 * @param localRank  rank among the processes on this host, or {@link #UNKNOWN_LOCAL_RANK}
 * @param masterAddr host name or address of the store that rank 0 hosts
 * @param masterPort port of that store
 * @param convention where the values came from: {@code JCCL}, {@code torchrun}, {@code Open MPI}, {@code Slurm}
 *                   (or {@code explicit} when built in code)
 */
public record BootstrapEnvironment(int rank, int worldSize, int localRank, String masterAddr, int masterPort,
                                   String convention) {
    public static final int UNKNOWN_LOCAL_RANK = -1;
    public static final String DEFAULT_MASTER_ADDR = "127.0.0.1";
    public static final int DEFAULT_MASTER_PORT = 29500;

    private static final List<Convention> CONVENTIONS = List.of(
            new Convention("JCCL", "JCCL_RANK", "JCCL_WORLD_SIZE", "JCCL_LOCAL_RANK", "set by io.jccl.launch.Launcher"),
            new Convention("torchrun", "RANK", "WORLD_SIZE", "LOCAL_RANK", "set by torchrun"),
            new Convention("Open MPI", "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_LOCAL_RANK",
                    "set by mpirun"),
            new Convention("Slurm", "SLURM_PROCID", "SLURM_NTASKS", "SLURM_LOCALID", "set by srun"));
    private static final List<String> ADDR_VARIABLES = List.of("JCCL_MASTER_ADDR", "MASTER_ADDR");
    private static final List<String> PORT_VARIABLES = List.of("JCCL_MASTER_PORT", "MASTER_PORT");

    /** Every environment variable {@link #detect} reads, so option checkers can leave them alone. */
    public static final List<String> VARIABLES = allVariables();

    public BootstrapEnvironment {
        if (worldSize < 1 || rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException("need 0 <= rank < worldSize, got rank " + rank + ", world size " + worldSize);
        }
        if (localRank < UNKNOWN_LOCAL_RANK || localRank >= worldSize) {
            throw new IllegalArgumentException("local rank " + localRank + " is outside [-1, " + worldSize + ")");
        }
        if (masterAddr == null || masterAddr.isEmpty() || masterPort < 1 || masterPort > 65535) {
            throw new IllegalArgumentException("need a master address and a port in [1, 65535], got "
                    + masterAddr + ":" + masterPort);
        }
    }

    /** Whether the launcher told us the rank among this host's processes. */
    public boolean hasLocalRank() {
        return localRank != UNKNOWN_LOCAL_RANK;
    }

    /** Reads this process's environment. */
    public static BootstrapEnvironment detect() {
        return detect(System.getenv());
    }

    /**
     * Reads {@code env} (usually {@link System#getenv()}).
     *
     * @throws JcclException naming the variable and the fix: no convention found, a value that is
     *                       not a number, a rank not below the world size, a rank without a size
     */
    public static BootstrapEnvironment detect(Map<String, String> env) {
        for (Convention c : CONVENTIONS) {
            String rankText = env.get(c.rankVar);
            String sizeText = env.get(c.sizeVar);
            if (rankText == null && sizeText == null) {
                continue;
            }
            if (rankText == null || sizeText == null) {
                String present = rankText == null ? c.sizeVar : c.rankVar;
                String absent = rankText == null ? c.rankVar : c.sizeVar;
                throw new JcclException(present + " is set but " + absent + " is not (" + c.name + " convention, "
                        + c.setBy + "): set both " + c.rankVar + " (this process's rank) and " + c.sizeVar
                        + " (number of ranks), or unset " + present);
            }
            int worldSize = parse(c.sizeVar, sizeText, "the number of ranks");
            if (worldSize < 1) {
                throw new JcclException(c.sizeVar + "=" + worldSize + " must be at least 1: set it to the number of ranks");
            }
            int rank = parse(c.rankVar, rankText, "this process's rank, 0.." + (worldSize - 1));
            if (rank < 0 || rank >= worldSize) {
                throw new JcclException(c.rankVar + "=" + rank + " is not in [0, " + worldSize + ") with " + c.sizeVar
                        + "=" + worldSize + ": give each process a distinct rank from 0 to " + (worldSize - 1));
            }
            int localRank = UNKNOWN_LOCAL_RANK;
            String localText = env.get(c.localRankVar);
            if (localText != null) {
                localRank = parse(c.localRankVar, localText, "the rank among this host's processes");
                if (localRank < 0 || localRank >= worldSize) {
                    throw new JcclException(c.localRankVar + "=" + localRank + " is not in [0, " + worldSize
                            + "): set it to the rank among this host's processes, or unset it");
                }
            }
            return new BootstrapEnvironment(rank, worldSize, localRank, masterAddr(env), masterPort(env), c.name);
        }
        StringBuilder message = new StringBuilder("No rank found in the environment. Set one of:");
        for (Convention c : CONVENTIONS) {
            message.append(" ").append(c.rankVar).append(" + ").append(c.sizeVar).append(" (").append(c.name)
                    .append(", ").append(c.setBy).append(");");
        }
        message.append(" plus JCCL_MASTER_ADDR/JCCL_MASTER_PORT (or MASTER_ADDR/MASTER_PORT) for rank 0's address,"
                + " default " + DEFAULT_MASTER_ADDR + ":" + DEFAULT_MASTER_PORT
                + ". Or start the ranks with: java io.jccl.launch.Launcher --nproc N <mainClass>");
        throw new JcclException(message.toString());
    }

    private static String masterAddr(Map<String, String> env) {
        for (String name : ADDR_VARIABLES) {
            String value = env.get(name);
            if (value != null) {
                if (value.isBlank()) {
                    throw new JcclException(name + " is empty: set it to the host name or IP address of rank 0, or unset it");
                }
                return value.trim();
            }
        }
        return DEFAULT_MASTER_ADDR;
    }

    private static int masterPort(Map<String, String> env) {
        for (String name : PORT_VARIABLES) {
            String value = env.get(name);
            if (value != null) {
                int port = parse(name, value, "the TCP port of rank 0's store, 1..65535");
                if (port < 1 || port > 65535) {
                    throw new JcclException(name + "=" + port + " is not a TCP port: set it to a port in 1..65535"
                            + " that rank 0 can listen on (default " + DEFAULT_MASTER_PORT + ")");
                }
                return port;
            }
        }
        return DEFAULT_MASTER_PORT;
    }

    private static int parse(String name, String value, String meaning) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new JcclException(name + "='" + value + "' is not a whole number: set it to " + meaning);
        }
    }

    private static List<String> allVariables() {
        List<String> names = new ArrayList<>();
        for (Convention c : CONVENTIONS) {
            names.add(c.rankVar);
            names.add(c.sizeVar);
            names.add(c.localRankVar);
        }
        names.addAll(ADDR_VARIABLES);
        names.addAll(PORT_VARIABLES);
        return List.copyOf(names);
    }

    private record Convention(String name, String rankVar, String sizeVar, String localRankVar, String setBy) {
    }
}
