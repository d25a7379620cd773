package io.jccl.algorithms;

import io.jccl.DataType;
import io.jccl.ReduceOp;
import io.jccl.schedule.Algorithm;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.CollectiveSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The test matrix: every algorithm × world size × count × lanes × slice × in-place (× root). */
final class Cases {
    static final int[] WORLD_SIZES = {1, 2, 3, 4, 5, 7, 8, 16, 64, 1000};
    /** 3 float32 elements: far smaller than most blocks, so blocks really stream as several slices. */
    static final int SMALL_SLICE_BYTES = 12;
    static final int LARGE_SLICE_BYTES = 1 << 20;
    static final int HUGE_WORLD = 1000;
    /** 16 elements: still below a 1009-element message, but keeps recursive doubling at 1000 ranks quick. */
    static final int HUGE_WORLD_SLICE_BYTES = 64;

    private Cases() {
    }

    /** One run: an algorithm and the spec to run it on. */
    record Case(Algorithm algorithm, CollectiveSpec spec) {
        @Override
        public String toString() {
            return algorithm.kind().key() + "/" + algorithm.name() + " n=" + spec.worldSize() + " count="
                    + spec.countElements() + " lanes=" + spec.lanes() + " slice=" + spec.sliceElements()
                    + (spec.inPlace() ? " in-place" : " out-of-place")
                    + (spec.root() >= 0 ? " root=" + spec.root() : "");
        }
    }

    static Stream<Case> of(CollectiveKind kind) {
        List<Case> cases = new ArrayList<>();
        for (Algorithm algorithm : new StandardAlgorithms().algorithms()) {
            if (algorithm.kind() != kind) {
                continue;
            }
            for (int n : WORLD_SIZES) {
                long[] counts = counts(kind, n);
                for (int i = 0; i < counts.length; i++) {
                    if (n >= HUGE_WORLD) {
                        // A ring at 1000 ranks is ~2000 steps per rank: one configuration per count, rotating.
                        add(cases, algorithm, kind, n, counts[i], new int[] {1 + 3 * (i % 2)}, new int[] {HUGE_WORLD_SLICE_BYTES},
                                new boolean[] {i % 2 == 1});
                    } else {
                        add(cases, algorithm, kind, n, counts[i], new int[] {1, 2, 4},
                                new int[] {SMALL_SLICE_BYTES, LARGE_SLICE_BYTES}, new boolean[] {false, true});
                    }
                }
            }
        }
        return cases.stream();
    }

    private static void add(List<Case> cases, Algorithm algorithm, CollectiveKind kind, int n, long count,
                            int[] laneChoices, int[] sliceChoices, boolean[] inPlaceChoices) {
        for (int lanes : laneChoices) {
            for (int slice : sliceChoices) {
                for (boolean inPlace : inPlaceChoices) {
                    for (int root : roots(kind, n)) {
                        CollectiveSpec spec = spec(kind, n, count, root, inPlace, slice, lanes);
                        if (algorithm.supports(spec)) {
                            cases.add(new Case(algorithm, spec));
                        }
                    }
                }
            }
        }
    }

    static CollectiveSpec spec(CollectiveKind kind, int n, long count, int root, boolean inPlace, int sliceBytes,
                               int lanes) {
        boolean reduces = kind == CollectiveKind.ALL_REDUCE || kind == CollectiveKind.REDUCE_SCATTER
                || kind == CollectiveKind.REDUCE;
        return new CollectiveSpec(kind, n, count, DataType.FLOAT32, reduces ? ReduceOp.SUM : null, root, inPlace,
                sliceBytes, lanes);
    }

    /** 0, 1, n-1, n+1 and primes; blocked collectives stay small at 1000 ranks (n*c per rank). */
    private static long[] counts(CollectiveKind kind, int n) {
        if (kind == CollectiveKind.BARRIER) {
            return new long[] {0};
        }
        boolean blocked = kind == CollectiveKind.ALL_GATHER || kind == CollectiveKind.REDUCE_SCATTER;
        if (n >= HUGE_WORLD) {
            return blocked ? new long[] {0, 1, 3} : new long[] {0, 1, n - 1, n + 1, 1009};
        }
        return blocked ? new long[] {0, 1, n - 1, n + 1, 7} : new long[] {0, 1, n - 1, n + 1, 37, 101};
    }

    private static int[] roots(CollectiveKind kind, int n) {
        if (kind != CollectiveKind.BROADCAST && kind != CollectiveKind.REDUCE) {
            return new int[] {-1};
        }
        return n == 1 ? new int[] {0} : new int[] {0, (2 * n) / 3};
    }
}
