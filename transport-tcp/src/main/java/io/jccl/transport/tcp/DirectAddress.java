package io.jccl.transport.tcp;

import io.netty.util.internal.PlatformDependent;

import java.nio.ByteBuffer;

/**
 * Native addresses of direct buffers, for the reused buffers of this transport. Only where Netty
 * itself uses {@code sun.misc.Unsafe} (JDK 17 to 23 by default): a buffer that reports an address
 * may be copied by Netty through {@code Unsafe}, so without it (JDK 24+) none is reported and Netty
 * takes its {@link ByteBuffer} path.
 */
final class DirectAddress {
    private static final boolean AVAILABLE = PlatformDependent.hasUnsafe();

    private DirectAddress() {
    }

    /** The address of {@code direct}'s first byte, or 0 when addresses are not used in this JVM. */
    static long of(ByteBuffer direct) {
        return AVAILABLE ? PlatformDependent.directBufferAddress(direct) : 0;
    }
}
