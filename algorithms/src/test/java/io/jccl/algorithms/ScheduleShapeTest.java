package io.jccl.algorithms;

import io.jccl.algorithms.pattern.PowersOfTwo;
import io.jccl.schedule.Algorithm;
import io.jccl.schedule.CollectiveKind;
import io.jccl.schedule.CollectiveSpec;
import io.jccl.schedule.Role;
import io.jccl.schedule.Schedule;
import io.jccl.schedule.StepKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cost properties the symbolic run does not see: copies, step counts, scratch size, determinism. */
@Timeout(20)
class ScheduleShapeTest {
    private final StandardAlgorithms provider = new StandardAlgorithms();

    @Test
    void shouldNeverCopyTheWholeBufferWhenAllReducingOnSeveralRanks() {
        for (Algorithm a : provider.algorithms()) {
            if (a.kind() != CollectiveKind.ALL_REDUCE) {
                continue;
            }
            for (boolean inPlace : new boolean[] {false, true}) {
                CollectiveSpec spec = Cases.spec(CollectiveKind.ALL_REDUCE, 6, 1000, -1, inPlace, 64, 2);
                for (int r = 0; r < 6; r++) {
                    Schedule s = a.plan(spec, r);
                    for (int st = 0; st < s.stepCount(); st++) {
                        assertTrue(s.kind(st) != StepKind.COPY, a.name() + " copies at rank " + r + ":\n" + s.describe());
                    }
                }
            }
        }
    }

    @Test
    void shouldEmitNoEmptyMessagesAndFewStepsWhenTheCountIsTinyAndTheWorldHuge() {
        int n = 1000;
        for (Algorithm a : provider.algorithms()) {
            boolean barrier = a.kind() == CollectiveKind.BARRIER;
            CollectiveSpec spec = Cases.spec(a.kind(), n, barrier ? 0 : 1, 0, false, 1 << 20, 4);
            if (!a.supports(spec)) {
                continue;
            }
            // A ring allgather/reduce-scatter must move n-1 one-element blocks through every rank; everything
            // else moves one element, so a rank should see it a few times per tree level or round.
            boolean blocksPerRank = a.name().equals("ring")
                    && (a.kind() == CollectiveKind.ALL_GATHER || a.kind() == CollectiveKind.REDUCE_SCATTER);
            long bound = blocksPerRank ? 2L * n + 2 : 4L * (PowersOfTwo.ceilLog2(n) + 2);
            for (int r = 0; r < n; r++) {
                Schedule s = a.plan(spec, r);
                assertTrue(s.stepCount() <= bound, a.kind().key() + "/" + a.name() + " rank " + r + " emits "
                        + s.stepCount() + " steps for one element");
                for (int st = 0; st < s.stepCount(); st++) {
                    assertTrue(s.count(st) > 0, a.kind().key() + "/" + a.name() + " emits an empty step at rank " + r);
                }
            }
        }
    }

    @Test
    void shouldTakeCeilLog2RoundsWhenRunningTheLogarithmicAlgorithms() {
        for (int n : new int[] {2, 3, 5, 8, 9, 1000}) {
            int rounds = PowersOfTwo.ceilLog2(n);
            Schedule barrier = find(CollectiveKind.BARRIER, "dissemination")
                    .plan(Cases.spec(CollectiveKind.BARRIER, n, 0, -1, false, 64, 1), n - 1);
            assertEquals(rounds + 1, barrier.stepCount(), "barrier n=" + n);
            Schedule bruck = find(CollectiveKind.ALL_GATHER, "bruck")
                    .plan(Cases.spec(CollectiveKind.ALL_GATHER, n, 5, -1, true, 1 << 20, 1), 0);
            // per round one send and one receive, each split in two at most where the run wraps
            assertTrue(bruck.stepCount() <= 4 * rounds && bruck.stepCount() >= 2 * rounds, "bruck n=" + n);
        }
    }

    @Test
    void shouldBoundScratchBySlotsAndDataWhenPartialSumsTravel() {
        long slice = 16;
        for (int lanes : new int[] {1, 4}) {
            CollectiveSpec rs = Cases.spec(CollectiveKind.REDUCE_SCATTER, 64, 100_000, -1, false, (int) slice * 4, lanes);
            long scratch = find(CollectiveKind.REDUCE_SCATTER, "ring").plan(rs, 3).scratchElements();
            assertTrue(scratch <= ScratchSlots.SLOTS * slice * lanes, "reducescatter scratch " + scratch);
            CollectiveSpec tiny = Cases.spec(CollectiveKind.REDUCE, 64, 3, 0, false, 1 << 20, lanes);
            long tinyScratch = find(CollectiveKind.REDUCE, "chain").plan(tiny, 5).scratchElements();
            assertTrue(tinyScratch <= 3L * lanes, "reduce scratch " + tinyScratch + " for 3 elements");
            assertEquals(0, find(CollectiveKind.REDUCE, "chain").plan(tiny, 0).scratchElements(), "root scratch");
        }
    }

    @Test
    void shouldPlanTheSameStepsWhenAskedTwice() {
        for (Algorithm a : provider.algorithms()) {
            CollectiveSpec spec = Cases.spec(a.kind(), 8, a.kind() == CollectiveKind.BARRIER ? 0 : 23, 2, false, 8, 2);
            for (int r = 0; r < 8; r++) {
                assertEquals(a.plan(spec, r).describe(), a.plan(spec, r).describe(), a.name());
            }
        }
    }

    @Test
    void shouldReadInputDirectlyWhenRingReduceStarts() {
        CollectiveSpec spec = Cases.spec(CollectiveKind.ALL_REDUCE, 4, 400, -1, false, 1 << 20, 1);
        Schedule s = find(CollectiveKind.ALL_REDUCE, "ring").plan(spec, 1);
        assertEquals(StepKind.SEND, s.kind(0));
        assertEquals(Role.INPUT, s.srcRole(0));
        assertEquals(StepKind.RECV_REDUCE_SEND, s.kind(1));
        assertEquals(Role.INPUT, s.srcRole(1));
        assertEquals(Role.OUTPUT, s.dstRole(1));
    }

    private Algorithm find(CollectiveKind kind, String name) {
        return provider.algorithms().stream().filter(a -> a.kind() == kind && a.name().equals(name)).findFirst()
                .orElseThrow();
    }
}
