package io.jccl.algorithms;

import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.CollectiveSpec;
import io.jccl.schedule.Role;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs every algorithm symbolically on all ranks ({@link SymbolicCluster}) and compares each
 * rank's OUTPUT with a reference computed here from the leaves: which contributions, how often,
 * whether final, and (for allreduce) the same expression tree on every rank.
 */
class ScheduleCorrectnessTest {

    static Stream<Cases.Case> allReduce() {
        return Cases.of(CollectiveKind.ALL_REDUCE);
    }

    static Stream<Cases.Case> allGather() {
        return Cases.of(CollectiveKind.ALL_GATHER);
    }

    static Stream<Cases.Case> reduceScatter() {
        return Cases.of(CollectiveKind.REDUCE_SCATTER);
    }

    static Stream<Cases.Case> broadcast() {
        return Cases.of(CollectiveKind.BROADCAST);
    }

    static Stream<Cases.Case> reduce() {
        return Cases.of(CollectiveKind.REDUCE);
    }

    static Stream<Cases.Case> barrier() {
        return Cases.of(CollectiveKind.BARRIER);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allReduce")
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldGiveEveryRankTheSameFullReductionWhenAllReducing(Cases.Case c) {
        CollectiveSpec spec = c.spec();
        SymbolicCluster run = new SymbolicCluster(c.algorithm(), spec).run();
        int n = spec.worldSize();
        for (long e = 0; e < spec.countElements(); e++) {
            long expectedKeys = sumOfLeaves(n, e);
            long expression = run.hash(0, Role.OUTPUT, e);
            for (int r = 0; r < n; r++) {
                assertReduced(run, r, e, n, expectedKeys, c);
                if (run.hash(r, Role.OUTPUT, e) != expression) {
                    fail(c + ": rank " + r + " element " + e + " is a different reduction expression than rank 0's"
                            + " (results would not be bitwise identical)");
                }
            }
            if (n == 1) {
                assertEquals(SymbolicCluster.leaf(0, e), expression, c + ": element " + e);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reduceScatter")
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldLeaveBlockRReducedOnRankRWhenReduceScattering(Cases.Case c) {
        CollectiveSpec spec = c.spec();
        SymbolicCluster run = new SymbolicCluster(c.algorithm(), spec).run();
        int n = spec.worldSize();
        long count = spec.countElements();
        for (int r = 0; r < n; r++) {
            for (long e = 0; e < count; e++) {
                assertReduced(run, r, e, n, sumOfLeaves(n, r * count + e), c);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allGather")
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldGiveEveryRankEveryBlockWhenAllGathering(Cases.Case c) {
        CollectiveSpec spec = c.spec();
        SymbolicCluster run = new SymbolicCluster(c.algorithm(), spec).run();
        int n = spec.worldSize();
        long count = spec.countElements();
        for (int r = 0; r < n; r++) {
            for (int block = 0; block < n; block++) {
                for (long e = 0; e < count; e++) {
                    assertCopyOfLeaf(run, r, block * count + e, block, e, c);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broadcast")
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldCopyTheRootsInputEverywhereWhenBroadcasting(Cases.Case c) {
        CollectiveSpec spec = c.spec();
        SymbolicCluster run = new SymbolicCluster(c.algorithm(), spec).run();
        for (int r = 0; r < spec.worldSize(); r++) {
            for (long e = 0; e < spec.countElements(); e++) {
                assertCopyOfLeaf(run, r, e, spec.root(), e, c);
            }
            if (r != spec.root()) {
                assertFalse(run.readInput(r), c + ": non-root rank " + r + " read INPUT");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reduce")
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldReduceIntoTheRootAloneWhenReducing(Cases.Case c) {
        CollectiveSpec spec = c.spec();
        SymbolicCluster run = new SymbolicCluster(c.algorithm(), spec).run();
        int n = spec.worldSize();
        for (long e = 0; e < spec.countElements(); e++) {
            assertReduced(run, spec.root(), e, n, sumOfLeaves(n, e), c);
        }
        for (int r = 0; r < n; r++) {
            if (r != spec.root()) {
                assertFalse(run.touchedOutput(r), c + ": non-root rank " + r + " touched OUTPUT");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("barrier")
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldLetNoRankLeaveBeforeAllArrivedWhenBarrierRuns(Cases.Case c) {
        CollectiveSpec spec = c.spec();
        SymbolicCluster run = new SymbolicCluster(c.algorithm(), spec).run();
        int n = spec.worldSize();
        for (int r = 0; r < n; r++) {
            BitSet heard = run.heardFrom(r);
            assertEquals(n, heard.cardinality(), c + ": rank " + r + " can leave having heard only from " + heard);
        }
    }

    /** Reference for a reduced element: every rank's leaf exactly once, final once when n > 1. */
    private static void assertReduced(SymbolicCluster run, int r, long e, int n, long expectedKeys, Cases.Case c) {
        byte state = run.state(r, Role.OUTPUT, e);
        if (state == SymbolicCluster.JUNK) {
            fail(c + ": rank " + r + " OUTPUT[" + e + "] never written");
        }
        assertEquals(n, run.contributions(r, Role.OUTPUT, e), c + ": contributions at rank " + r + " element " + e);
        assertEquals(expectedKeys, run.keys(r, Role.OUTPUT, e), c + ": wrong contributors at rank " + r + " element " + e);
        assertEquals(n > 1 ? SymbolicCluster.FINAL : SymbolicCluster.VALUE, state,
                c + ": final flag at rank " + r + " element " + e);
    }

    private static void assertCopyOfLeaf(SymbolicCluster run, int r, long at, int fromRank, long fromElement,
                                         Cases.Case c) {
        if (run.hash(r, Role.OUTPUT, at) != SymbolicCluster.leaf(fromRank, fromElement)
                || run.state(r, Role.OUTPUT, at) != SymbolicCluster.VALUE) {
            fail(c + ": rank " + r + " OUTPUT[" + at + "] is not rank " + fromRank + "'s element " + fromElement);
        }
    }

    private static long sumOfLeaves(int n, long element) {
        long sum = 0;
        for (int r = 0; r < n; r++) {
            sum += SymbolicCluster.leaf(r, element);
        }
        return sum;
    }
}
