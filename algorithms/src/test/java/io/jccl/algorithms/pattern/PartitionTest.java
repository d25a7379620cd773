package io.jccl.algorithms.pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class PartitionTest {

    @Test
    void shouldCoverTheRangeContiguouslyWithSizesDifferingByAtMostOneWhenSplitting() {
        for (long total : new long[] {0, 1, 2, 7, 999, 1000, 1001, 1009, 123_457}) {
            for (int parts : new int[] {1, 2, 3, 4, 7, 64, 1000}) {
                assertEquals(0, Partition.start(total, parts, 0));
                assertEquals(total, Partition.start(total, parts, parts));
                long min = Long.MAX_VALUE;
                long max = Long.MIN_VALUE;
                for (int i = 0; i < parts; i++) {
                    long size = Partition.size(total, parts, i);
                    assertEquals(Partition.start(total, parts, i) + size, Partition.start(total, parts, i + 1));
                    // floor-style reference computed with exact big arithmetic
                    long expected = java.math.BigInteger.valueOf(total).multiply(java.math.BigInteger.valueOf(i))
                            .divide(java.math.BigInteger.valueOf(parts)).longValueExact();
                    assertEquals(expected, Partition.start(total, parts, i), total + "/" + parts + " piece " + i);
                    min = Math.min(min, size);
                    max = Math.max(max, size);
                }
                assertTrue(max - min <= 1, total + "/" + parts);
            }
        }
    }

    @Test
    void shouldNotOverflowWhenTheBufferIsHuge() {
        long total = Long.MAX_VALUE / 3;
        assertEquals(total / 2, Partition.start(total, 1000, 500));
        assertEquals(total, Partition.start(total, 1000, 1000));
    }

    @Test
    void shouldCountSlicesByCeilingWhenSlicing() {
        assertEquals(0, Partition.sliceCount(0, 4));
        assertEquals(1, Partition.sliceCount(1, 4));
        assertEquals(1, Partition.sliceCount(4, 4));
        assertEquals(2, Partition.sliceCount(5, 4));
    }
}
