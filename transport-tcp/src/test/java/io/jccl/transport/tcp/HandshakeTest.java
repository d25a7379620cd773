package io.jccl.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandshakeTest {
    private static Handshake roundTrip(Handshake h) {
        ByteBuf buf = Unpooled.buffer();
        h.writeTo(buf);
        assertEquals(Handshake.BYTES, buf.readableBytes());
        Handshake read = Handshake.readFrom(buf);
        buf.release();
        return read;
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void shouldAcceptWhenEverythingMatches() {
        Handshake h = roundTrip(Handshake.of(-5L, 4, 3, 1, 2));
        assertEquals(-5L, h.communicatorId);
        assertEquals(2, h.connectionIndex);
        assertNull(h.refusal(-5L, 4, 1));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void shouldRefuseNamingTheProblemWhenAFieldDiffers() {
        Handshake h = roundTrip(Handshake.of(1L, 4, 3, 1, 0));
        assertTrue(h.refusal(2L, 4, 1).contains("another job"));
        assertTrue(h.refusal(1L, 5, 1).contains("world size 4"));
        assertTrue(h.refusal(1L, 4, 2).contains("dialled rank 1 but reached rank 2"));
        assertTrue(h.refusal(1L, 3, 1).contains("world size"));
        Handshake badMagic = new Handshake(0x12345678, 1, 1L, 4, 3, 1, 0, h.byteOrder);
        assertTrue(badMagic.refusal(1L, 4, 1).contains("bad magic"));
        Handshake newer = new Handshake(Handshake.MAGIC, Handshake.VERSION + 1, 1L, 4, 3, 1, 0, h.byteOrder);
        assertTrue(newer.refusal(1L, 4, 1).contains("mixed JCCL versions"));
        Handshake otherEndian = new Handshake(Handshake.MAGIC, Handshake.VERSION, 1L, 4, 3, 1, 0, 3 - h.byteOrder);
        assertTrue(otherEndian.refusal(1L, 4, 1).contains("byte order"));
    }
}
