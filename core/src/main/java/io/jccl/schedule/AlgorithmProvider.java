package io.jccl.schedule;

import java.util.List;
import java.util.Map;

/**
 * Service-provider interface through which the engine finds algorithms ({@code ServiceLoader}).
 */
public interface AlgorithmProvider {

    /** The algorithms this provider contributes. */
    List<Algorithm> algorithms();

    /**
     * Default selection rules per collective, in the rule-string syntax of
     * {@link AlgorithmSelector}, e.g. {@code 0-64K:recursive_doubling#64K-inf:ring}.
     * The {@code worldSize} lets a table differ between small and large jobs.
     */
    Map<CollectiveKind, String> defaultRules(int worldSize);
}
