package io.jccl.transport.tcp;

import io.jccl.spi.InboundFragment;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Fragments kept over the socket's own read buffers: they see the right bytes, pin the buffer
 * exactly as long as a reference is held, fail loudly when used after release, and are recycled,
 * fragment and view alike, so keeping early data allocates nothing once warm.
 */
class RetainedTcpFragmentTest {
    private static final int CAPACITY = 1 << 16;

    private static RecyclingBuf filledBuffer(RecyclingBuf.Pool pool) {
        RecyclingBuf buf = pool.take();
        for (int i = 0; i < CAPACITY / Long.BYTES; i++) {
            // Native order, as a peer on this host writes and the engine reads.
            if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
                buf.writeLongLE(i);
            } else {
                buf.writeLong(i);
            }
        }
        return buf;
    }

    /** The longs of {@code f}, read in native order from its position, as the engine reads them. */
    private static long[] longs(InboundFragment f) {
        ByteBuffer data = f.data();
        assertEquals(ByteOrder.nativeOrder(), data.order());
        long[] out = new long[data.remaining() / Long.BYTES];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.getLong(data.position() + i * Long.BYTES);
        }
        return out;
    }

    private static long[] expected(int firstLong, int count) {
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = firstLong + i;
        }
        return out;
    }

    @Test
    void shouldKeepTheBytesPinTheReadBufferAndRecycleFragmentAndView() {
        RecyclingBuf.Pool pool = new RecyclingBuf.Pool(CAPACITY, 2);
        TcpInboundFragment window = new TcpInboundFragment(3);
        RecyclingBuf buf = filledBuffer(pool);

        InboundFragment first = window.open(7, 1, 40_000, 0, buf, 800, 8_000).retain();
        InboundFragment second = window.open(7, 1, 40_000, 8_000, buf, 8_800, 16_000).retain();
        window.close();
        buf.release(); // the decoder is done with the read; the kept fragments still pin it
        assertEquals(2, buf.refCnt());
        assertEquals(3, first.peerRank());
        assertEquals(7, first.tag());
        assertEquals(8_000, second.offsetBytes());
        assertEquals(40_000, second.messageBytes());
        assertArrayEquals(expected(100, 1_000), longs(first));
        assertArrayEquals(expected(1_100, 2_000), longs(second));

        first.retain();
        first.release();
        assertArrayEquals(expected(100, 1_000), longs(first), "a second reference keeps the bytes");
        first.release();
        assertThrows(IllegalStateException.class, first::data);
        assertThrows(IllegalStateException.class, first::release);
        assertEquals(1, buf.refCnt());
        second.release();
        assertEquals(0, buf.refCnt(), "the last release gives the read buffer back");

        // Warm: the same read buffer, fragment and view come back, with the new bytes.
        RecyclingBuf again = filledBuffer(pool);
        assertSame(buf, again);
        InboundFragment third = window.open(8, 2, 64, 0, again, 64, 64).retain();
        window.close();
        assertSame(second, third, "kept fragments are recycled");
        assertArrayEquals(expected(8, 8), longs(third));
        ByteBuffer thirdView = third.data();
        third.release();
        InboundFragment fourth = window.open(8, 2, 64, 0, again, 128, 64).retain();
        window.close();
        assertSame(thirdView, fourth.data(), "views of a read buffer are lent again, not made again");
        assertArrayEquals(expected(16, 8), longs(fourth));
        fourth.release();
        again.release();
        assertEquals(1, pool.created(), "one read buffer served every read");
    }
}
