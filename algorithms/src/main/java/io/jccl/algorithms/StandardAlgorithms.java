package io.jccl.algorithms;

import io.jccl.schedule.Algorithm;
import io.jccl.schedule.AlgorithmProvider;
import io.jccl.schedule.CollectiveKind;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The standard algorithms and their default selection table, found by the engine through
 * {@code ServiceLoader} ({@code META-INF/services/io.jccl.schedule.AlgorithmProvider}).
 *
 * <p>Stateless and thread-safe; {@link #algorithms()} returns immutable, shareable planners.
 * Rule ranges are half-open {@code [lo, hi)} in bytes of {@link
 * io.jccl.schedule.CollectiveSpec#messageBytes()} with binary suffixes ({@code 1K = 1024}); the
 * table and its reasons are in the module README.
 */
public final class StandardAlgorithms implements AlgorithmProvider {
    /** Worlds at least this large switch medium allreduce to the double binary tree. */
    static final int LARGE_WORLD = 16;

    private static final List<Algorithm> ALGORITHMS = List.of(
            new RingAllReduce(),
            new TreeAllReduce(),
            new RecursiveDoublingAllReduce(),
            new DirectAllReduce(),
            new RingAllGather(),
            new BruckAllGather(),
            new RecursiveDoublingAllGather(),
            new RingReduceScatter(),
            new ChainBroadcast(),
            new TreeBroadcast(),
            new ChainReduce(),
            new TreeReduce(),
            new DisseminationBarrier());

    /** Public no-argument constructor for {@code ServiceLoader}. */
    public StandardAlgorithms() {
    }

    @Override
    public List<Algorithm> algorithms() {
        return ALGORITHMS;
    }

    @Override
    public Map<CollectiveKind, String> defaultRules(int worldSize) {
        Map<CollectiveKind, String> rules = new EnumMap<>(CollectiveKind.class);
        if (worldSize < LARGE_WORLD) {
            rules.put(CollectiveKind.ALL_REDUCE, "0-64K:recursive_doubling#64K-inf:ring");
            rules.put(CollectiveKind.BROADCAST, "0-256K:tree#256K-inf:chain");
            rules.put(CollectiveKind.REDUCE, "0-256K:tree#256K-inf:chain");
        } else {
            rules.put(CollectiveKind.ALL_REDUCE, "0-32K:recursive_doubling#32K-16M:tree#16M-inf:ring");
            rules.put(CollectiveKind.BROADCAST, "0-4M:tree#4M-inf:chain");
            rules.put(CollectiveKind.REDUCE, "0-4M:tree#4M-inf:chain");
        }
        rules.put(CollectiveKind.ALL_GATHER, "0-256K:bruck#256K-inf:ring");
        rules.put(CollectiveKind.REDUCE_SCATTER, "0-inf:ring");
        rules.put(CollectiveKind.BARRIER, "0-inf:dissemination");
        return rules;
    }
}
