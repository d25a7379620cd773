package io.jccl.testkit.transport;

import io.jccl.PeerFailureException;
import io.jccl.config.Configuration;
import io.jccl.spi.Tags;
import io.jccl.spi.TransportProvider;
import org.junit.jupiter.api.AfterEach;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the conformance tests share: opening endpoints of the provider under test, sending
 * verifiable payloads, waiting for them and checking them against a reference regenerated from
 * the seed, independently of what travelled. After each test every endpoint is closed and the
 * test fails on any contract violation a {@link RecordingHandler} recorded.
 */
public abstract class TransportSuiteBase {
    /** Upper bound for any single wait; generous because the test machine is shared and noisy. */
    protected static final long WAIT_MS = TransportDriver.DEFAULT_WAIT_MS;
    /** A closed peer must be reported within this bound. */
    protected static final long FAILURE_DETECTION_MS = 10_000;
    /** Guard bytes around payloads (see {@link TestPayloads#directWithGuards}). */
    private static final byte GUARD = (byte) 0xA5;

    /** The endpoints of the running test (JUnit makes a fresh instance per test). */
    protected final TransportDriver driver = new TransportDriver(WAIT_MS);

    /** Name of the provider under test, as found with {@link ServiceLoader}. */
    protected abstract String transportName();

    /** Options the endpoints are configured with (property names to values). */
    protected Map<String, String> options() {
        return Map.of();
    }

    @AfterEach
    void closeEndpointsAndCheckContract() {
        driver.close();
        assertEquals(List.of(), driver.violations(), "SPI contract violations");
    }

    protected final TransportProvider provider() {
        for (TransportProvider p : ServiceLoader.load(TransportProvider.class)) {
            if (p.name().equals(transportName())) {
                assertTrue(p.isAvailable(), () -> transportName() + " is unavailable: " + p.unavailabilityCause());
                return p;
            }
        }
        throw new AssertionError("no TransportProvider named '" + transportName() + "' on the class path");
    }

    /** Opens {@code count} endpoints of one communicator; they are closed after the test. */
    protected final List<TransportNode> open(int count) {
        long communicatorId = ThreadLocalRandom.current().nextLong();
        List<TransportNode> nodes = new ArrayList<>();
        for (int rank = 0; rank < count; rank++) {
            nodes.add(open(rank, count, communicatorId, options()));
        }
        return nodes;
    }

    /** Opens one endpoint with explicit settings; it is closed after the test. */
    protected final TransportNode open(int rank, int worldSize, long communicatorId, Map<String, String> options) {
        TransportProvider provider = provider();
        Configuration configuration = Configuration.resolve(options, provider.options(), Map.of(), Map.of(), List.of());
        return driver.open(provider, new TestTransportContext(rank, worldSize, communicatorId, configuration));
    }

    /** What a test sent, to check against what arrived. */
    protected static final class Sent {
        final TransportNode from;
        final TransportNode to;
        final long tag;
        final long descriptor;
        final byte[] payload;
        final int offsetBytes;
        final long token;
        final ByteBuffer memory;

        Sent(TransportNode from, TransportNode to, long tag, long descriptor, byte[] payload, int offsetBytes,
             long token, ByteBuffer memory) {
            this.from = from;
            this.to = to;
            this.tag = tag;
            this.descriptor = descriptor;
            this.payload = payload;
            this.offsetBytes = offsetBytes;
            this.token = token;
            this.memory = memory;
        }

        boolean isDone() {
            return to.handler.message(from.rank, tag) != null && from.isSendDone(token);
        }

        @Override
        public String toString() {
            return Tags.toString(tag) + " " + from.rank + "->" + to.rank + " (" + payload.length + " B, arrived="
                    + (to.handler.message(from.rank, tag) != null) + ", send " + from.sendState(token) + ")";
        }
    }

    /**
     * Sends {@code payload} from {@code from} to {@code to}, placed at {@code offsetBytes} in a
     * guarded buffer whose position and limit lie elsewhere; returns at once.
     */
    protected static Sent send(TransportNode from, TransportNode to, long tag, long descriptor, byte[] payload,
                               int offsetBytes, long token) {
        ByteBuffer memory = TestPayloads.directWithGuards(payload, offsetBytes);
        from.send(to, tag, descriptor, memory, offsetBytes, payload.length, token);
        return new Sent(from, to, tag, descriptor, payload, offsetBytes, token, memory);
    }

    /** Waits until every message arrived and every send is done, then checks them all. */
    protected final void awaitAndVerify(List<Sent> sent) {
        awaitDelivery(sent);
        verify(sent);
    }

    protected final void awaitDelivery(List<Sent> sent) {
        driver.awaitUntil(() -> sent.stream().allMatch(Sent::isDone), WAIT_MS, () -> "messages and send completions; "
                + sent.stream().filter(s -> !s.isDone()).count() + " of " + sent.size() + " missing, e.g. "
                + sent.stream().filter(s -> !s.isDone()).limit(5).map(Sent::toString).collect(Collectors.joining(", ")));
    }

    /** Checks contents, descriptors and completions of {@code sent}, and that nothing failed or broke the contract. */
    protected final void verify(List<Sent> sent) {
        assertEquals(List.of(), driver.violations(), "SPI contract violations");
        for (TransportNode node : driver.nodes()) {
            assertEquals(List.of(), node.handler.failures().stream().map(Object::toString).collect(Collectors.toList()),
                    "unexpected failures at rank " + node.rank);
        }
        for (Sent s : sent) {
            RecordingHandler.Message m = s.to.handler.message(s.from.rank, s.tag);
            String what = Tags.toString(s.tag) + " from rank " + s.from.rank + " to rank " + s.to.rank;
            assertNotNull(m, what + " did not arrive");
            assertEquals(s.descriptor, m.descriptor, what + ": descriptor");
            assertEquals(s.payload.length, m.bytes.length, what + ": messageBytes");
            if (TestPayloads.crc32(s.payload) != TestPayloads.crc32(m.bytes)) {
                fail(what + ": payload differs from byte " + Arrays.mismatch(s.payload, m.bytes));
            }
            assertEquals(1, s.from.handler.completions(s.token), what + ": completions of token " + s.token);
            if (s.memory != null) {
                assertGuardsIntact(s, what);
            }
        }
    }

    /** The bytes around the payload are the caller's: a transport must not write there. */
    private static void assertGuardsIntact(Sent s, String what) {
        ByteBuffer all = s.memory.duplicate().clear(); // guards lie beyond the limit too
        for (int i = 0; i < all.capacity(); i++) {
            if ((i < s.offsetBytes || i >= s.offsetBytes + s.payload.length) && all.get(i) != GUARD) {
                fail(what + ": the transport wrote byte " + i + " of the caller's buffer, outside the payload");
            }
        }
    }

    protected static long descriptorOf(int i) {
        return 0xC0FFEE0000000000L ^ ((long) i << 17) ^ i;
    }

    protected static long seed(int from, int to, int i) {
        return ((long) from << 40) ^ ((long) to << 20) ^ i;
    }

    /** The failure {@code node} recorded for {@code rank} has a cause naming that rank. */
    protected static void assertFailureNames(TransportNode node, int rank) {
        RecordingHandler.Failure failure = node.handler.failures().stream().filter(f -> f.peerRank == rank)
                .findFirst().orElseThrow(() -> new AssertionError("no failure of rank " + rank + " at rank " + node.rank));
        assertNotNull(failure.cause, "failure without a cause");
        assertTrue(String.valueOf(failure.cause.getMessage()).contains("rank " + rank),
                () -> "the cause does not name rank " + rank + ": " + failure.cause);
        if (failure.cause instanceof PeerFailureException) {
            assertEquals(rank, ((PeerFailureException) failure.cause).peerRank());
        }
    }

    /** Waits until {@code node} recorded a failure of {@code rank}, then checks its cause names the rank. */
    protected final void awaitFailure(TransportNode node, int rank, String what) {
        driver.awaitUntil(() -> node.handler.hasFailureOf(rank), FAILURE_DETECTION_MS, () -> what);
        assertFailureNames(node, rank);
    }
}
