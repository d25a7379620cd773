package io.jccl.transport.tcp;

import io.jccl.PeerFailureException;
import io.jccl.config.Configuration;
import io.jccl.testkit.transport.RecordingHandler;
import io.jccl.testkit.transport.TestPayloads;
import io.jccl.testkit.transport.TestTransportContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The frame parser alone, fed a byte stream cut at arbitrary points, including inside headers. */
class FrameDecoderTest {
    private static final int[] SIZES = {0, 1, 19, 20, 21, 0, 1000, 70_000, 3};

    private final TestTransportContext context = new TestTransportContext(0, 4, 1,
            Configuration.resolve(Map.of(), TcpOptions.all(), Map.of(), Map.of(), List.of()));
    private final TransportEvents events = new TransportEvents(context);

    private static ByteBuf stream() {
        ByteBuf out = Unpooled.buffer();
        for (int i = 0; i < SIZES.length; i++) {
            out.writeLong(i * 1000L - 1).writeLong(~i).writeInt(SIZES[i]).writeBytes(TestPayloads.bytes(i, SIZES[i]));
        }
        return out;
    }

    /** Feeds the stream in chunks of random sizes up to {@code maxChunkBytes}; returns the chunks. */
    private static List<ByteBuf> feed(EmbeddedChannel channel, ByteBuf stream, long seed, int maxChunkBytes) {
        SplittableRandom random = new SplittableRandom(seed);
        List<ByteBuf> chunks = new ArrayList<>();
        while (stream.isReadable()) {
            ByteBuf chunk = stream.readRetainedSlice(Math.min(stream.readableBytes(), 1 + random.nextInt(maxChunkBytes)));
            chunks.add(chunk);
            channel.writeInbound(chunk);
        }
        stream.release();
        return chunks;
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldReassembleEveryMessageWhenStreamIsCutAnywhere() {
        for (int maxChunk : new int[] {1, 7, 25, 4096, 100_000}) {
            EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(2, 0, events, "test"));
            ByteBuf stream = stream();
            List<ByteBuf> chunks = feed(channel, stream, maxChunk, maxChunk);
            RecordingHandler handler = new RecordingHandler();
            events.drain(handler, Integer.MAX_VALUE);
            assertEquals(List.of(), handler.violations(), "chunks of up to " + maxChunk);
            for (int i = 0; i < SIZES.length; i++) {
                RecordingHandler.Message m = handler.message(2, i * 1000L - 1);
                assertEquals(~i, m.descriptor);
                assertArrayEquals(TestPayloads.bytes(i, SIZES[i]), m.bytes, "message " + i + ", chunks of up to " + maxChunk);
            }
            assertTrue(chunks.stream().allMatch(c -> c.refCnt() == 0), "read buffers leaked");
            assertTrue(context.wakeups() > 0);
            channel.finishAndReleaseAll();
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldKeepReadBufferAliveWhenFragmentIsRetained() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(1, 0, events, "test"));
        List<ByteBuf> chunks = feed(channel, stream(), 3, 100_000);
        RecordingHandler handler = new RecordingHandler();
        handler.retainFragments(true);
        events.drain(handler, Integer.MAX_VALUE);
        assertTrue(chunks.stream().anyMatch(c -> c.refCnt() > 0), "retained fragments must pin their read buffer");
        handler.copyAndReleaseRetained();
        assertTrue(chunks.stream().allMatch(c -> c.refCnt() == 0), "read buffers leaked after release");
        assertArrayEquals(TestPayloads.bytes(7, 70_000), handler.message(1, 6999).bytes);
        channel.finishAndReleaseAll();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldReportCorruptStreamAndCloseWhenLengthIsNegative() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(3, 0, events, "127.0.0.1:1"));
        channel.writeInbound(Unpooled.buffer().writeLong(1).writeLong(2).writeInt(-7));
        RecordingHandler handler = new RecordingHandler();
        events.drain(handler, Integer.MAX_VALUE);
        assertFalse(channel.isOpen());
        assertEquals(1, handler.failures().size());
        assertEquals(3, handler.failures().get(0).peerRank);
        assertInstanceOf(PeerFailureException.class, handler.failures().get(0).cause);
        assertTrue(handler.failures().get(0).cause.getMessage().contains("corrupt stream from rank 3"));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldReportPeerNamingRankWhenConnectionClosesMidMessage() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(5, 1, events, "127.0.0.1:45123"));
        channel.writeInbound(Unpooled.buffer().writeLong(1).writeLong(2).writeInt(100).writeBytes(new byte[10]));
        channel.close();
        RecordingHandler handler = new RecordingHandler();
        events.drain(handler, Integer.MAX_VALUE);
        assertEquals(5, handler.failures().get(0).peerRank);
        assertEquals("connection from rank 5 at 127.0.0.1:45123 (connection 1) closed in the middle of a message:"
                + " is the process alive?", handler.failures().get(0).cause.getMessage());
    }
}
