package io.jccl.algorithms.pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(10)
class PowersOfTwoTest {

    @Test
    void shouldMatchALoopReferenceWhenComputingFloorAndCeilLog2() {
        for (int v = 1; v <= 5000; v++) {
            int floor = 1;
            while (floor * 2 <= v) {
                floor *= 2;
            }
            int log = 0;
            while ((1 << log) < v) {
                log++;
            }
            assertEquals(floor, PowersOfTwo.floor(v), "floor " + v);
            assertEquals(log, PowersOfTwo.ceilLog2(v), "ceilLog2 " + v);
            assertEquals(floor == v, PowersOfTwo.isPowerOfTwo(v), "isPowerOfTwo " + v);
        }
    }

    @Test
    void shouldWrapNeighboursWhenOnTheRing() {
        assertEquals(0, Ring.next(4, 5));
        assertEquals(4, Ring.prev(0, 5));
        assertEquals(3, Ring.mod(-7, 5));
        assertEquals(0, Ring.next(0, 1));
    }
}
