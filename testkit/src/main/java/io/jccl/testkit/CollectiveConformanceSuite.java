package io.jccl.testkit;

import io.jccl.DataType;
import io.jccl.ReduceOp;
import io.jccl.schedule.Algorithm;
import io.jccl.schedule.AlgorithmProvider;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.CollectiveSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Data conformance of every collective over one transport: collective × algorithm × data type ×
 * reduce op × world size × count, out of place and in place, each checked against
 * {@link ReferenceData}. Subclasses name the transport (pattern of Netty's testsuite). Ranks run
 * as threads; one cluster per world size is reused by all cases of that size.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class CollectiveConformanceSuite {
    private final Map<Integer, Cluster> clusters = new TreeMap<>();

    /** The transport under test. */
    protected abstract String transportName();

    /**
     * World sizes to cover; the system property {@code jcclTest.worlds} (e.g. {@code 3,4}) narrows
     * them for a quick local run, as {@code jcclTest.kinds} (e.g. {@code allreduce}) narrows the
     * collectives. CI sets neither.
     */
    protected int[] worldSizes() {
        String only = System.getProperty("jcclTest.worlds");
        if (only != null) {
            return java.util.Arrays.stream(only.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        }
        return new int[] {1, 2, 3, 4, 5, 8};
    }

    private static boolean selected(CollectiveKind kind) {
        String only = System.getProperty("jcclTest.kinds");
        return only == null || java.util.Arrays.asList(only.split(",")).contains(kind.key());
    }

    /** The large count (elements); a prime at least 2^20 by default. */
    protected long largeCount() {
        return 1_048_583;
    }

    /**
     * Whether to run the large count for this combination. Small counts always run the full cross
     * product; the large count (a million elements, ~0.1 s a case on 2 cores) runs every collective ×
     * algorithm × world size × data type with SUM (or no op), every op for float32, int32 and bfloat16,
     * and in place for float32 — about a sixth of the full product, to keep CI well under its budget.
     */
    protected boolean runLarge(CollectiveKind kind, DataType type, ReduceOp op, int worldSize, boolean inPlace) {
        if (inPlace) {
            return type == DataType.FLOAT32;
        }
        return op == null || op == ReduceOp.SUM || type == DataType.FLOAT32 || type == DataType.INT32
                || type == DataType.BFLOAT16;
    }

    /** Options of the communicators under test, besides the timeout; none by default. */
    protected Map<String, String> options() {
        return Map.of();
    }

    /** Deadline of one case on all ranks. */
    protected Duration caseTimeout() {
        return Duration.ofSeconds(60);
    }

    private Cluster cluster(int n) {
        Cluster c = clusters.get(n);
        if (c == null) {
            Map<String, String> options = new HashMap<>(options());
            options.put("jccl.timeout.ms", "30000");
            c = Cluster.start(n, transportName(), options, Duration.ofSeconds(30));
            clusters.put(n, c);
        }
        return c;
    }

    private void run(CollectiveCase c, int n) {
        try {
            c.run(cluster(n), caseTimeout());
        } catch (AssertionError | RuntimeException e) {
            // Printed at once so a long run shows its first failure early; the cluster is rebuilt
            // because a failed collective leaves its communicators unusable.
            System.out.println("FAILED " + c + " on " + n + " ranks: " + e);
            Cluster broken = clusters.remove(n);
            if (broken != null) {
                broken.close();
            }
            throw e;
        }
    }

    @AfterAll
    void closeClusters() {
        clusters.values().forEach(Cluster::close);
        clusters.clear();
    }

    private static List<Algorithm> algorithms(CollectiveKind kind) {
        List<Algorithm> list = new ArrayList<>();
        for (AlgorithmProvider p : ServiceLoader.load(AlgorithmProvider.class)) {
            for (Algorithm a : p.algorithms()) {
                if (a.kind() == kind) {
                    list.add(a);
                }
            }
        }
        if (list.isEmpty()) {
            throw new AssertionError("no " + kind.key() + " algorithm found; is jccl-algorithms on the test classpath?");
        }
        return list;
    }

    private List<Long> counts(int n) {
        TreeSet<Long> s = new TreeSet<>(List.of(0L, 1L, (long) n - 1, (long) n + 1, 97L));
        s.add(largeCount());
        return new ArrayList<>(s);
    }

    private static List<ReduceOp> ops(DataType t) {
        List<ReduceOp> l = new ArrayList<>();
        for (ReduceOp op : ReduceOp.values()) {
            if (op.supports(t)) {
                l.add(op);
            }
        }
        return l;
    }

    private DynamicNode matrix(CollectiveKind kind) {
        List<DynamicNode> perWorld = new ArrayList<>();
        boolean reduces = kind == CollectiveKind.ALL_REDUCE || kind == CollectiveKind.REDUCE_SCATTER
                || kind == CollectiveKind.REDUCE;
        boolean rooted = kind == CollectiveKind.BROADCAST || kind == CollectiveKind.REDUCE;
        for (int n : selected(kind) ? worldSizes() : new int[0]) {
            List<DynamicNode> cases = new ArrayList<>();
            for (Algorithm a : algorithms(kind)) {
                for (DataType t : DataType.values()) {
                    for (ReduceOp op : reduces ? ops(t) : java.util.Collections.<ReduceOp>singletonList(null)) {
                        for (long count : counts(n)) {
                            if (kind == CollectiveKind.BARRIER && (t != DataType.INT8 || count != 0)) {
                                continue;
                            }
                            int root = rooted ? (int) (count % n) : -1;
                            for (boolean inPlace : kind == CollectiveKind.BARRIER ? new boolean[] {false}
                                    : new boolean[] {false, true}) {
                                CollectiveSpec spec = new CollectiveSpec(kind, n, count, t, op, root, inPlace,
                                        256 * 1024, 2);
                                if (!a.supports(spec) || count == largeCount() && !runLarge(kind, t, op, n, inPlace)) {
                                    continue;
                                }
                                CollectiveCase c = new CollectiveCase(kind, a.name(), t, op, count, root, inPlace);
                                cases.add(DynamicTest.dynamicTest(c.toString(), () -> run(c, n)));
                            }
                        }
                    }
                }
            }
            CollectiveCase dflt = new CollectiveCase(kind, null, DataType.FLOAT32, reduces ? ReduceOp.SUM : null, 1000,
                    rooted ? n - 1 : -1, false);
            cases.add(DynamicTest.dynamicTest(dflt.toString(), () -> run(dflt, n)));
            perWorld.add(DynamicContainer.dynamicContainer(n + " ranks", cases));
        }
        return DynamicContainer.dynamicContainer(kind.key(), perWorld);
    }

    @TestFactory
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    DynamicNode shouldMatchReferenceWhenAllReducing() {
        return matrix(CollectiveKind.ALL_REDUCE);
    }

    @TestFactory
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    DynamicNode shouldMatchReferenceWhenAllGathering() {
        return matrix(CollectiveKind.ALL_GATHER);
    }

    @TestFactory
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    DynamicNode shouldMatchReferenceWhenReduceScattering() {
        return matrix(CollectiveKind.REDUCE_SCATTER);
    }

    @TestFactory
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    DynamicNode shouldMatchReferenceWhenBroadcasting() {
        return matrix(CollectiveKind.BROADCAST);
    }

    @TestFactory
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    DynamicNode shouldMatchReferenceWhenReducing() {
        return matrix(CollectiveKind.REDUCE);
    }

    @TestFactory
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    DynamicNode shouldCompleteWhenBarrierCalled() {
        return matrix(CollectiveKind.BARRIER);
    }
}
