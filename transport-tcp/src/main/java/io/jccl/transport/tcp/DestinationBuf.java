package io.jccl.transport.tcp;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;

/**
 * A read buffer that is the destination itself: Netty reads a payload straight from the socket into
 * the engine's region of the caller's memory (see {@link io.jccl.spi.Placement}), so the bytes are
 * never copied. It wraps the whole of one caller buffer and reports its {@link #capacity()} as the
 * end of the current region, which is what bounds Netty's read: the socket read stops at the
 * payload's last byte and never touches the memory after it ({@link #endAt}). Reused for every placement into the
 * same buffer; releasing it frees nothing. Event-loop thread only.
 */
final class DestinationBuf extends ReusedDirectBuf {
    /** The caller's buffer this wraps, compared by identity. */
    final ByteBuffer memory;

    private DestinationBuf(ByteBuffer memory) {
        super(memory);
        this.memory = memory;
    }

    /**
     * A wrapper of {@code memory} ready to receive {@code [offsetBytes, offsetBytes + lengthBytes)},
     * the one in {@code last} when it wraps the same buffer (read-write direct buffers only).
     */
    static DestinationBuf arm(WeakReference<DestinationBuf> last, ByteBuffer memory, int offsetBytes,
                              int lengthBytes) {
        DestinationBuf d = last == null ? null : last.get();
        if (d == null || d.memory != memory) {
            d = new DestinationBuf(memory);
        } else if (d.refCnt() == 0) {
            d.resetRefCnt();
        }
        d.endAt(0); // unbounded while the indices move
        d.setIndex(offsetBytes, offsetBytes);
        d.endAt(offsetBytes + lengthBytes);
        return d;
    }

    /** Nothing to free: the memory is the caller's. */
    @Override
    protected void deallocate() {
    }
}
