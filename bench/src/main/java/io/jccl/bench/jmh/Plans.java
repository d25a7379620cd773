package io.jccl.bench.jmh;

import io.jccl.Communicator;
import io.jccl.DataType;
import io.jccl.ReduceOp;
import io.jccl.config.CoreOptions;
import io.jccl.schedule.Algorithm;
import io.jccl.schedule.AlgorithmProvider;
import io.jccl.schedule.AlgorithmSelector;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.CollectiveSpec;
import io.jccl.schedule.Schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The algorithms as a communicator finds them ({@code ServiceLoader} over {@link AlgorithmProvider}),
 * for benchmarks that plan directly or need to know a call's step count. Stateless.
 */
final class Plans {
    private Plans() {
    }

    /** A selector over every installed provider with the default tables and no configured rules. */
    static AlgorithmSelector selector(int worldSize) {
        List<AlgorithmProvider> providers = new ArrayList<>();
        ServiceLoader.load(AlgorithmProvider.class).forEach(providers::add);
        return new AlgorithmSelector(providers, Map.of(), worldSize);
    }

    /**
     * The spec a communicator builds for a call: its slice size and lane count, the op only for
     * reducing collectives.
     */
    static CollectiveSpec spec(Communicator comm, CollectiveKind kind, long countElements, DataType type,
                               ReduceOp op, int root, boolean inPlace) {
        return CollectiveSpec.forCall(kind, comm.worldSize(), countElements, type, op, root, inPlace,
                comm.configuration().get(CoreOptions.SLICE_BYTES), comm.configuration().get(CoreOptions.LANES));
    }

    /**
     * Steps {@code comm}'s rank executes for {@code spec} with the algorithm the communicator picks
     * (or {@code algorithm} when not {@code null}), from a plan made here with the same SPI: the
     * communicator's own plan cache is not public.
     */
    static int stepsPerCall(Communicator comm, CollectiveSpec spec, String algorithm) {
        String name = algorithm != null ? algorithm
                : comm.algorithmFor(spec.kind(), spec.countElements(), spec.dataType());
        Algorithm a = selector(comm.worldSize()).byName(spec.kind(), name);
        Schedule plan = a.plan(spec, comm.rank());
        return plan.stepCount();
    }
}
