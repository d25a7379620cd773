package io.jccl.bench.jmh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the collective benchmark's method a few times directly over both transports (setup, calls,
 * teardown; not a JMH run), checks rank 0's result against sums computed here, and that teardown
 * leaves no peer thread behind.
 */
@Timeout(60)
class CollectiveBenchmarkTest {
    private static final int CALLS = 3;

    @ParameterizedTest
    @CsvSource({"allreduce, loopback, 2, 8, auto", "allreduce, loopback, 4, 65536, auto",
            "allreduce, loopback, 3, 4096, ring", "allgather, loopback, 4, 8, auto",
            "allgather, loopback, 2, 65536, auto", "allreduce, tcp, 2, 65536, auto", "allreduce, tcp, 4, 8, auto",
            "allgather, tcp, 2, 4096, ring"})
    void shouldComputeTheCollectiveWhenBenchmarkRunsDirectly(String collective, String transport, int ranks,
                                                             int bytes, String algorithm) {
        CollectiveBenchmark b = new CollectiveBenchmark();
        b.collective = collective;
        b.transport = transport;
        b.ranks = ranks;
        b.bytes = bytes;
        b.algorithm = algorithm;
        b.setUp();
        try {
            for (int i = 0; i < CALLS; i++) {
                b.call();
            }
            ByteBuffer out = b.output();
            long count = b.countElements();
            if (collective.equals("allreduce")) {
                assertEquals(bytes / Float.BYTES, count);
                float sum = ranks * (ranks + 1) / 2f;
                for (int i = 0; i < count; i++) {
                    assertEquals(sum, out.getFloat(i * Float.BYTES), "element " + i);
                }
            } else {
                assertEquals(Math.max(1, bytes / (Float.BYTES * ranks)), count);
                for (int r = 0; r < ranks; r++) {
                    for (int i = 0; i < count; i++) {
                        assertEquals(r + 1f, out.getFloat((int) ((r * count + i) * Float.BYTES)),
                                "block " + r + " element " + i);
                    }
                }
            }
        } finally {
            b.tearDown();
        }
        assertEquals(List.of(), PeerThreads.alive());
    }

    @Test
    void shouldFailInSetupAndLeaveNoThreadWhenAlgorithmIsUnknown() {
        CollectiveBenchmark b = new CollectiveBenchmark();
        b.collective = "allreduce";
        b.transport = "loopback";
        b.ranks = 2;
        b.bytes = 8;
        b.algorithm = "carrier_pigeon";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::setUp);
        assertTrue(e.getMessage().contains("ring"), e.getMessage());
        assertEquals(List.of(), PeerThreads.alive());
    }
}
