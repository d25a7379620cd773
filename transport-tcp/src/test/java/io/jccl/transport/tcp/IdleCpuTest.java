package io.jccl.transport.tcp;

import io.jccl.DataType;
import io.jccl.ReduceOp;
import io.jccl.testkit.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** An idle communicator must not burn a core: engine and I/O threads sleep until there is work. */
class IdleCpuTest {

    private static long jcclCpuNs(ThreadMXBean mx) {
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("jccl-")) {
                long ns = mx.getThreadCpuTime(t.getId());
                total += Math.max(0, ns);
            }
        }
        return total;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldUseAlmostNoCpuWhenCommunicatorsAreIdle() throws InterruptedException {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assertTrue(mx.isThreadCpuTimeSupported(), "thread CPU time is not measurable on this JVM");
        try (Cluster c = Cluster.start(3, "tcp", Map.of(), Duration.ofSeconds(20))) {
            c.run(Duration.ofSeconds(20), comm -> {
                comm.allReduce(comm.allocate(4096), 1024, DataType.FLOAT32, ReduceOp.SUM);
                return null;
            });
            Thread.sleep(500);
            long before = jcclCpuNs(mx);
            Thread.sleep(2000);
            long usedMs = TimeUnit.NANOSECONDS.toMillis(jcclCpuNs(mx) - before);
            assertTrue(usedMs < 100, "idle JCCL threads used " + usedMs + " ms of CPU in 2 s");
        }
    }
}
