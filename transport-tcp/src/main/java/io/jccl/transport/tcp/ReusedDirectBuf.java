package io.jccl.transport.tcp;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.util.internal.PlatformDependent;

import java.nio.ByteBuffer;

/**
 * The common base of this transport's reused buffers ({@link RecyclingBuf}, {@link PayloadBuf},
 * {@link DestinationBuf}): a Netty buffer over all of one direct {@link ByteBuffer}, freed by the
 * collector, never by hand. It builds on Netty's plain direct buffer, not the {@code Unsafe} one:
 * from JDK 24 Netty runs without {@code sun.misc.Unsafe}, and a buffer that needs it would write
 * from address 0. Where Netty has {@code Unsafe} (JDK 17 to 23 by default) it still reports its
 * memory address, which keeps Netty's native reads and writes on their fast path; without it none is
 * reported, since Netty may copy a buffer that has an address through {@code Unsafe}.
 */
abstract class ReusedDirectBuf extends UnpooledDirectByteBuf {
    private static final boolean ADDRESSES = PlatformDependent.hasUnsafe();

    private final long address;
    /** What {@link #capacity()} reports while bounded, 0 while not (also during the superclass constructor). */
    private int endBytes;

    /** Wraps all of {@code memory}, whatever its position and limit (they are not touched). */
    ReusedDirectBuf(ByteBuffer memory) {
        // The constructor slices from position to limit: give it all of the memory.
        super(UnpooledByteBufAllocator.DEFAULT, memory.duplicate().clear(), memory.capacity());
        this.address = ADDRESSES ? PlatformDependent.directBufferAddress(memory) : 0;
    }

    /**
     * Makes {@link #capacity()} report {@code endBytes} (0: the real capacity again). Netty reads from
     * a socket up to a buffer's capacity, so this bounds the next read: it stops there and never
     * touches the memory after it. The indices must lie within the new end.
     */
    final void endAt(int endBytes) {
        this.endBytes = endBytes;
    }

    @Override
    public final int capacity() {
        return endBytes == 0 ? super.capacity() : endBytes;
    }

    @Override
    public final boolean hasMemoryAddress() {
        return address != 0;
    }

    @Override
    public final long memoryAddress() {
        if (address == 0) {
            throw new UnsupportedOperationException("no memory address without sun.misc.Unsafe");
        }
        return address;
    }
}
