package io.jccl.transport.tcp;

import io.jccl.PeerFailureException;
import io.jccl.config.Configuration;
import io.jccl.spi.InboundFragment;
import io.jccl.spi.TransportHandler;
import io.jccl.testkit.transport.RecordingHandler;
import io.jccl.testkit.transport.TestPayloads;
import io.jccl.testkit.transport.TestTransportContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The frame parser alone, fed a byte stream cut at arbitrary points, including inside headers.
 * Each test runs twice: with the engine on the channel's own event loop (fragments handed over
 * inline, valid only during the callback) and on another event loop (fragments retained, passed
 * over as tasks and released after the callback). The read buffers are separate direct buffers,
 * as Netty's reads are, so each one's reference count tells whether something still pins it.
 */
class FrameDecoderTest {
    private static final int[] SIZES = {0, 1, 19, 20, 21, 0, 1000, 70_000, 3};
    /** Small enough to be cut at every single position. */
    private static final int[] SMALL_SIZES = {0, 1, 19, 20, 21, 0, 3, 8};
    private static final long WAIT_MS = 10_000;

    /** Where the engine runs relative to the channel that reads. */
    enum EngineLoop {
        /** The channel's own loop: the decoder hands fragments over inline. */
        CHANNEL,
        /** Another event loop: fragments hop over as retained copies of the window. */
        OTHER
    }

    private final TestTransportContext context = new TestTransportContext(0, 4, 1,
            Configuration.resolve(Map.of(), TcpOptions.all(), Map.of(), Map.of(), List.of()));
    private final List<EventLoop> otherLoops = new ArrayList<>();

    @AfterEach
    void shutDownOtherLoops() {
        for (EventLoop loop : otherLoops) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
        }
    }

    /** Notes the order in which messages start; the {@link RecordingHandler} in front checks the rest. */
    private static final class StartOrder implements TransportHandler {
        final List<Long> tags = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onFragment(InboundFragment fragment) {
            if (fragment.offsetBytes() == 0) {
                tags.add(fragment.tag());
            }
        }

        @Override
        public void onSendComplete(long token) {
        }

        @Override
        public void onWritable(int peerRank) {
        }

        @Override
        public void onFailure(int peerRank, Throwable cause) {
        }
    }

    /** One decoder on an embedded channel, its events and the handler recording them. */
    private final class Decoder {
        final EmbeddedChannel channel = new EmbeddedChannel();
        final EventLoop engineLoop;
        final StartOrder starts = new StartOrder();
        final RecordingHandler handler = new RecordingHandler(() -> { }, starts);
        final List<ByteBuf> chunks = new ArrayList<>();

        Decoder(EngineLoop where, int peerRank, int connectionIndex, String peerDescription) {
            this(where, peerRank, connectionIndex, peerDescription, null);
        }

        Decoder(EngineLoop where, int peerRank, int connectionIndex, String peerDescription, TransportHandler custom) {
            if (where == EngineLoop.CHANNEL) {
                engineLoop = channel.eventLoop();
            } else {
                engineLoop = new DefaultEventLoop(new DefaultThreadFactory("frame-decoder-test-engine", true));
                otherLoops.add(engineLoop);
            }
            PollingSelectStrategy polling = new PollingSelectStrategy();
            handler.bind(new NettyProgressLoop(engineLoop, polling));
            TransportEvents events = new TransportEvents(context, custom == null ? handler : custom, engineLoop);
            channel.pipeline().addLast(new FrameDecoder(peerRank, connectionIndex, events, peerDescription));
        }

        /** Writes {@code bytes} as one read into a direct buffer of its own; keeps it to check its release. */
        void read(ByteBuf bytes, int index, int length) {
            ByteBuf chunk = Unpooled.directBuffer(length).writeBytes(bytes, index, length);
            chunks.add(chunk);
            channel.writeInbound(chunk);
        }

        /** Feeds {@code stream} in reads of random sizes up to {@code maxChunkBytes}. */
        void feed(ByteBuf stream, long seed, int maxChunkBytes) {
            SplittableRandom random = new SplittableRandom(seed);
            int at = 0;
            while (at < stream.writerIndex()) {
                int n = Math.min(stream.writerIndex() - at, 1 + random.nextInt(maxChunkBytes));
                read(stream, at, n);
                at += n;
            }
        }

        /** Waits until every event raised so far has reached the handler. */
        void settle() {
            channel.runPendingTasks();
            if (engineLoop != channel.eventLoop()) {
                try {
                    engineLoop.submit(() -> { }).get(WAIT_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                } catch (ExecutionException | TimeoutException e) {
                    throw new AssertionError("the engine loop did not run its tasks", e);
                }
            }
        }

        /** Runs {@code task} where the engine would, and waits for it. */
        void onEngineLoop(Runnable task) {
            if (engineLoop == channel.eventLoop()) {
                task.run();
                return;
            }
            try {
                engineLoop.submit(task).get(WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            } catch (ExecutionException | TimeoutException e) {
                throw new AssertionError("task on the engine loop failed", e);
            }
        }

        /** The thread the events must come on: the test thread runs the embedded channel's loop. */
        Thread engineThread() {
            if (engineLoop == channel.eventLoop()) {
                return Thread.currentThread();
            }
            Thread[] thread = new Thread[1];
            onEngineLoop(() -> thread[0] = Thread.currentThread());
            return thread[0];
        }

        List<Integer> pinnedChunks() {
            return IntStream.range(0, chunks.size()).filter(i -> chunks.get(i).refCnt() > 0).boxed()
                    .collect(Collectors.toList());
        }
    }

    private static long tagOf(int i) {
        return i * 1000L - 1;
    }

    private static long descriptorOf(int i) {
        return ~i;
    }

    private static ByteBuf stream(int[] sizes) {
        ByteBuf out = Unpooled.buffer();
        for (int i = 0; i < sizes.length; i++) {
            out.writeLong(tagOf(i)).writeLong(descriptorOf(i)).writeInt(sizes[i]).writeBytes(TestPayloads.bytes(i, sizes[i]));
        }
        return out;
    }

    private static void assertAllDelivered(Decoder decoder, int[] sizes, String what) {
        assertEquals(List.of(), decoder.handler.violations(), what);
        assertEquals(List.of(), decoder.handler.failures().stream().map(Object::toString).collect(Collectors.toList()),
                what);
        for (int i = 0; i < sizes.length; i++) {
            RecordingHandler.Message m = decoder.handler.message(2, tagOf(i));
            assertNotNull(m, "message " + i + " incomplete, " + what);
            assertEquals(descriptorOf(i), m.descriptor, "message " + i + ", " + what);
            assertArrayEquals(TestPayloads.bytes(i, sizes[i]), m.bytes, "message " + i + ", " + what);
        }
        assertEquals(sizes.length, decoder.handler.completedMessages(), what);
        List<Long> expectedStarts = IntStream.range(0, sizes.length).mapToObj(FrameDecoderTest::tagOf)
                .collect(Collectors.toList());
        assertEquals(expectedStarts, decoder.starts.tags, "messages out of order, " + what);
    }

    @ParameterizedTest(name = "engine on the {0} loop")
    @EnumSource(EngineLoop.class)
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldReassembleEveryMessageInOrderWhenStreamIsCutAnywhere(EngineLoop where) {
        for (int maxChunk : new int[] {1, 7, 19, 20, 21, 25, 4096, 100_000}) {
            Decoder decoder = new Decoder(where, 2, 0, "test");
            ByteBuf stream = stream(SIZES);
            decoder.feed(stream, maxChunk, maxChunk);
            stream.release();
            decoder.settle();
            String what = "chunks of up to " + maxChunk;
            assertAllDelivered(decoder, SIZES, what);
            assertEquals(List.of(), decoder.pinnedChunks(), "read buffers leaked, " + what);
            assertEquals(Set.of(decoder.engineThread()), decoder.handler.deliveringThreads(), what);
            assertFalse(decoder.channel.finishAndReleaseAll(), "the decoder passed bytes down the pipeline");
        }
    }

    @ParameterizedTest(name = "engine on the {0} loop")
    @EnumSource(EngineLoop.class)
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldReassembleEveryMessageWhenStreamIsCutAtEachSinglePosition(EngineLoop where) {
        ByteBuf stream = stream(SMALL_SIZES);
        try {
            for (int cut = 1; cut < stream.writerIndex(); cut++) {
                Decoder decoder = new Decoder(where, 2, 0, "test");
                decoder.read(stream, 0, cut);
                decoder.read(stream, cut, stream.writerIndex() - cut);
                decoder.settle();
                assertAllDelivered(decoder, SMALL_SIZES, "cut at byte " + cut);
                assertEquals(List.of(), decoder.pinnedChunks(), "read buffers leaked, cut at byte " + cut);
                decoder.channel.finishAndReleaseAll();
            }
        } finally {
            stream.release();
        }
    }

    @ParameterizedTest(name = "engine on the {0} loop")
    @EnumSource(EngineLoop.class)
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldKeepExactlyPayloadReadBuffersAliveWhenFragmentsAreRetained(EngineLoop where) {
        for (int maxChunk : new int[] {40, 100_000}) {
            String what = "chunks of up to " + maxChunk;
            Decoder decoder = new Decoder(where, 2, 0, "test");
            decoder.handler.retainFragments(true);
            ByteBuf stream = stream(SIZES);
            decoder.feed(stream, maxChunk, maxChunk);
            stream.release();
            decoder.settle();
            List<Integer> expectedPinned = payloadChunks(decoder.chunks, SIZES);
            assertFalse(expectedPinned.isEmpty());
            assertEquals(expectedPinned, decoder.pinnedChunks(),
                    "retained fragments must pin exactly the read buffers holding payload bytes, " + what);
            decoder.onEngineLoop(decoder.handler::copyAndReleaseRetained);
            assertEquals(List.of(), decoder.pinnedChunks(), "read buffers leaked after release, " + what);
            assertEquals(0, decoder.handler.retainedCount());
            assertAllDelivered(decoder, SIZES, what);
            decoder.channel.finishAndReleaseAll();
        }
    }

    /** Reads every fragment as native-order longs, in the callback and again after retaining it. */
    private static final class LongReader implements TransportHandler {
        final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        final List<Long> readInCallback = Collections.synchronizedList(new ArrayList<>());
        final List<InboundFragment> retained = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onFragment(InboundFragment fragment) {
            ByteBuffer data = fragment.data();
            if (data.order() != ByteOrder.nativeOrder()) {
                problems.add("data() in the callback is " + data.order());
            }
            for (int i = 0; i + Long.BYTES <= data.remaining(); i += Long.BYTES) {
                readInCallback.add(data.getLong(data.position() + i));
            }
            retained.add(fragment.retain());
        }

        /** The longs of the retained fragments, each released after reading. */
        List<Long> readRetainedAndRelease() {
            List<Long> out = new ArrayList<>();
            for (InboundFragment f : retained) {
                ByteBuffer data = f.data();
                if (data.order() != ByteOrder.nativeOrder()) {
                    problems.add("data() of a retained fragment is " + data.order());
                }
                for (int i = 0; i + Long.BYTES <= data.remaining(); i += Long.BYTES) {
                    out.add(data.getLong(data.position() + i));
                }
                f.release();
            }
            retained.clear();
            return out;
        }

        @Override
        public void onSendComplete(long token) {
            problems.add("onSendComplete(" + token + ")");
        }

        @Override
        public void onWritable(int peerRank) {
            problems.add("onWritable(" + peerRank + ")");
        }

        @Override
        public void onFailure(int peerRank, Throwable cause) {
            problems.add("onFailure(" + peerRank + ", " + cause + ")");
        }
    }

    @ParameterizedTest(name = "engine on the {0} loop")
    @EnumSource(EngineLoop.class)
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldGiveNativeOrderDataWhenPayloadHoldsLongs(EngineLoop where) {
        LongReader reader = new LongReader();
        Decoder decoder = new Decoder(where, 2, 0, "test", reader);
        List<Long> expected = new ArrayList<>();
        ByteBuf frames = Unpooled.buffer();
        for (int count : new int[] {1, 5, 1000}) {
            // Written as the sender's memory holds them: native order. Values whose bytes are not
            // palindromes, so a reader in the other order would see different ones.
            ByteBuffer payload = ByteBuffer.allocate(count * Long.BYTES).order(ByteOrder.nativeOrder());
            for (int k = 0; k < count; k++) {
                long v = 0x0102030405060708L * (k + 1) + k;
                expected.add(v);
                payload.putLong(v);
            }
            frames.writeLong(count).writeLong(0).writeInt(payload.capacity()).writeBytes(payload.flip());
        }
        decoder.read(frames, 0, frames.writerIndex()); // one read: every fragment is a whole payload
        frames.release();
        decoder.settle();
        assertEquals(expected, reader.readInCallback, "longs read in the callback");
        List<Long> afterCallback = new ArrayList<>();
        decoder.onEngineLoop(() -> afterCallback.addAll(reader.readRetainedAndRelease()));
        assertEquals(expected, afterCallback, "longs read from the retained fragments");
        assertEquals(List.of(), reader.problems);
        assertEquals(List.of(), decoder.pinnedChunks(), "read buffer leaked");
        decoder.channel.finishAndReleaseAll();
    }

    @ParameterizedTest(name = "engine on the {0} loop")
    @EnumSource(EngineLoop.class)
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldReportCorruptStreamNamingPeerAndCloseWhenLengthIsNegative(EngineLoop where) {
        Decoder decoder = new Decoder(where, 3, 0, "127.0.0.1:1");
        ByteBuf bytes = Unpooled.buffer().writeLong(5).writeLong(6).writeInt(4).writeBytes(TestPayloads.bytes(5, 4))
                .writeLong(1).writeLong(2).writeInt(-7).writeBytes(new byte[13]);
        int corruptHeaderAt = FrameDecoder.HEADER_BYTES + 4;
        decoder.read(bytes, 0, corruptHeaderAt + 10); // the bad header is cut in two reads
        decoder.read(bytes, corruptHeaderAt + 10, bytes.writerIndex() - corruptHeaderAt - 10);
        bytes.release();
        decoder.settle();
        assertFalse(decoder.channel.isOpen(), "a corrupt stream must close the connection");
        assertNotNull(decoder.handler.message(3, 5), "the message before the corruption was lost");
        assertArrayEquals(TestPayloads.bytes(5, 4), decoder.handler.message(3, 5).bytes);
        List<RecordingHandler.Failure> failures = decoder.handler.failures();
        assertEquals(1, failures.size(), failures::toString);
        assertEquals(3, failures.get(0).peerRank);
        PeerFailureException cause = assertInstanceOf(PeerFailureException.class, failures.get(0).cause);
        assertEquals(3, cause.peerRank());
        assertTrue(cause.getMessage().contains("corrupt stream from rank 3 at 127.0.0.1:1")
                && cause.getMessage().contains("-7"), cause::getMessage);
        assertEquals(List.of(), decoder.handler.violations());
        assertEquals(Set.of(decoder.engineThread()), decoder.handler.deliveringThreads());
        assertEquals(List.of(), decoder.pinnedChunks(), "read buffers leaked");
    }

    @ParameterizedTest(name = "engine on the {0} loop")
    @EnumSource(EngineLoop.class)
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldReportPeerNamingRankWhenConnectionClosesMidMessage(EngineLoop where) {
        Decoder decoder = new Decoder(where, 5, 1, "127.0.0.1:45123");
        ByteBuf bytes = Unpooled.buffer().writeLong(1).writeLong(2).writeInt(100).writeBytes(new byte[10]);
        decoder.read(bytes, 0, bytes.writerIndex());
        bytes.release();
        decoder.channel.close();
        decoder.settle();
        List<RecordingHandler.Failure> failures = decoder.handler.failures();
        assertEquals(1, failures.size(), failures::toString);
        assertEquals(5, failures.get(0).peerRank);
        assertEquals(5, assertInstanceOf(PeerFailureException.class, failures.get(0).cause).peerRank());
        assertEquals("connection from rank 5 at 127.0.0.1:45123 (connection 1) closed in the middle of a message:"
                + " is the process alive?", failures.get(0).cause.getMessage());
        assertEquals(List.of(), decoder.handler.violations());
        assertEquals(List.of(), decoder.pinnedChunks(), "read buffer leaked");
    }

    @ParameterizedTest(name = "engine on the {0} loop")
    @EnumSource(EngineLoop.class)
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldReportPeerWithoutMidMessageWhenConnectionClosesBetweenMessages(EngineLoop where) {
        Decoder decoder = new Decoder(where, 5, 0, "127.0.0.1:45123");
        ByteBuf bytes = Unpooled.buffer().writeLong(1).writeLong(2).writeInt(3).writeBytes(TestPayloads.bytes(1, 3));
        decoder.read(bytes, 0, bytes.writerIndex());
        bytes.release();
        decoder.channel.close();
        decoder.settle();
        assertArrayEquals(TestPayloads.bytes(1, 3), decoder.handler.message(5, 1).bytes);
        List<RecordingHandler.Failure> failures = decoder.handler.failures();
        assertEquals(1, failures.size(), failures::toString);
        assertEquals(5, failures.get(0).peerRank);
        assertEquals("connection from rank 5 at 127.0.0.1:45123 (connection 0) closed: is the process alive?",
                failures.get(0).cause.getMessage());
        assertEquals(List.of(), decoder.handler.violations());
    }

    /**
     * Indices of the chunks that carry at least one payload byte of a stream of {@code sizes}:
     * those, and only those, retained fragments pin (headers are parsed, never retained).
     */
    private static List<Integer> payloadChunks(List<ByteBuf> chunks, int[] sizes) {
        List<long[]> payloadRanges = new ArrayList<>();
        long at = 0;
        for (int size : sizes) {
            at += FrameDecoder.HEADER_BYTES;
            if (size > 0) {
                payloadRanges.add(new long[] {at, at + size});
            }
            at += size;
        }
        List<Integer> pinned = new ArrayList<>();
        long chunkStart = 0;
        for (int i = 0; i < chunks.size(); i++) {
            long chunkEnd = chunkStart + chunks.get(i).capacity();
            long s = chunkStart;
            if (payloadRanges.stream().anyMatch(r -> r[0] < chunkEnd && s < r[1])) {
                pinned.add(i);
            }
            chunkStart = chunkEnd;
        }
        return pinned;
    }
}
