package io.jccl.testkit.transport;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/** Deterministic message contents, so that a receiver can check what a sender sent. Stateless. */
public final class TestPayloads {
    private TestPayloads() {
    }

    /** The {@code lengthBytes} pseudo-random bytes of message {@code seed}. */
    public static byte[] bytes(long seed, int lengthBytes) {
        byte[] out = new byte[lengthBytes];
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + lengthBytes);
        int i = 0;
        for (; i + Long.BYTES <= lengthBytes; i += Long.BYTES) {
            long v = random.nextLong();
            for (int b = 0; b < Long.BYTES; b++) {
                out[i + b] = (byte) (v >>> (8 * b));
            }
        }
        for (; i < lengthBytes; i++) {
            out[i] = (byte) random.nextInt();
        }
        return out;
    }

    /**
     * A direct buffer holding {@code payload} at {@code offsetBytes}, surrounded by guard bytes, with
     * position and limit deliberately elsewhere (transports must use the absolute range).
     */
    public static ByteBuffer directWithGuards(byte[] payload, int offsetBytes) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(offsetBytes + payload.length + 11);
        for (int i = 0; i < buffer.capacity(); i++) {
            buffer.put(i, (byte) 0xA5);
        }
        buffer.put(offsetBytes, payload);
        buffer.limit(buffer.capacity() - 1).position(Math.min(3, buffer.limit()));
        return buffer;
    }

    /** Sets {@code memory[offsetBytes, offsetBytes + lengthBytes)} to {@code value} (absolute; position and limit stay). */
    public static void fill(ByteBuffer memory, int offsetBytes, int lengthBytes, byte value) {
        ByteBuffer all = memory.duplicate().clear(); // the range may lie beyond the limit
        for (int i = offsetBytes; i < offsetBytes + lengthBytes; i++) {
            all.put(i, value);
        }
    }

    public static long crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }
}
