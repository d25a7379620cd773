package io.jccl.engine;

import io.jccl.DataType;
import io.jccl.ReduceOp;
import io.jccl.config.Configuration;
import io.jccl.config.CoreOptions;
import io.jccl.schedule.CollectiveKind;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How long a waiting thread polls for a call: {@code jccl.poll.us} below 64 KiB in the call's
 * largest buffer, {@code jccl.poll.stream.us} from there on; allgather and reduce-scatter count the
 * whole gathered or scattered buffer.
 */
class PollChoiceTest {
    private static final int WORLD = 4;
    private static final long SHORT_NS = TimeUnit.MICROSECONDS.toNanos(7);
    private static final long STREAM_NS = TimeUnit.MICROSECONDS.toNanos(300);

    private static long pollOf(ProgressEngine engine, CollectiveKind kind, long count, DataType type) {
        Operation op = new Operation().set(kind, "test", null, type, ReduceOp.SUM, count, 0, 0, null, 0, null, 0,
                false, TimeUnit.SECONDS.toNanos(1), true, 0L);
        engine.submit(op);
        return op.pollNs;
    }

    @Test
    void shouldPollShortForSmallCallsAndLongForStreamingOnes() throws Exception {
        Configuration c = Configuration.resolve(Map.of("jccl.poll.us", "7", "jccl.poll.stream.us", "300"),
                CoreOptions.all(), Map.of(), Map.of(), List.of());
        try (ProgressEngine engine = new ProgressEngine(0, WORLD, 1L, c, InetAddress.getLoopbackAddress())) {
            long limit = ProgressEngine.STREAM_POLL_BYTES;
            assertEquals(SHORT_NS, pollOf(engine, CollectiveKind.ALL_REDUCE, 0, DataType.FLOAT32));
            assertEquals(SHORT_NS, pollOf(engine, CollectiveKind.ALL_REDUCE, 2, DataType.FLOAT32));
            assertEquals(SHORT_NS, pollOf(engine, CollectiveKind.ALL_REDUCE, limit / 4 - 1, DataType.FLOAT32));
            assertEquals(STREAM_NS, pollOf(engine, CollectiveKind.ALL_REDUCE, limit / 4, DataType.FLOAT32));
            assertEquals(SHORT_NS, pollOf(engine, CollectiveKind.BROADCAST, limit / 2 - 1, DataType.FLOAT16));
            assertEquals(STREAM_NS, pollOf(engine, CollectiveKind.BROADCAST, limit / 8, DataType.FLOAT64));
            // count per rank times the world
            assertEquals(SHORT_NS, pollOf(engine, CollectiveKind.ALL_GATHER, limit / 4 / WORLD - 1, DataType.INT32));
            assertEquals(STREAM_NS, pollOf(engine, CollectiveKind.ALL_GATHER, limit / 4 / WORLD, DataType.INT32));
            assertEquals(STREAM_NS, pollOf(engine, CollectiveKind.REDUCE_SCATTER, limit / 4 / WORLD,
                    DataType.FLOAT32));
        }
    }

    @Test
    void shouldDefaultToTwentyAndAHundredMicroseconds() throws Exception {
        Configuration c = Configuration.resolve(Map.of(), CoreOptions.all(), Map.of(), Map.of(), List.of());
        try (ProgressEngine engine = new ProgressEngine(0, WORLD, 1L, c, InetAddress.getLoopbackAddress())) {
            assertEquals(TimeUnit.MICROSECONDS.toNanos(20), pollOf(engine, CollectiveKind.ALL_REDUCE, 2,
                    DataType.FLOAT32));
            assertEquals(TimeUnit.MICROSECONDS.toNanos(100), pollOf(engine, CollectiveKind.ALL_REDUCE, 1 << 20,
                    DataType.FLOAT32));
        }
    }
}
