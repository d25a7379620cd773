package io.jccl.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * What one accepted socket reads into: the destination itself when its {@link FrameDecoder} has
 * a placement for the payload being read (see {@link FrameDecoder#placementBuffer()}), otherwise a
 * buffer of {@code jccl.tcp.read.bytes} from the socket's pool, reused read after read (see
 * {@link RecyclingBuf}), so receiving allocates nothing and the fragment views Netty caches per
 * buffer are made once. One instance per socket (it makes exactly one handle). How much to read per
 * wake-up is left to Netty's fixed-size policy: up to 16 reads while each fills its buffer.
 * Event-loop thread only.
 */
final class ReadBuffers implements RecvByteBufAllocator {
    /** Idle buffers kept per socket; more exist only while the engine keeps early fragments. */
    private static final int MAX_IDLE = 4;

    private final int readBytes;
    private final FixedRecvByteBufAllocator policy;
    private FrameDecoder decoder;

    ReadBuffers(int readBytes) {
        this.readBytes = readBytes;
        this.policy = new FixedRecvByteBufAllocator(readBytes);
    }

    /** From now on reads may go straight into the destinations {@code decoder} is given. */
    void attach(FrameDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public Handle newHandle() {
        return new PooledHandle((ExtendedHandle) policy.newHandle(), new RecyclingBuf.Pool(readBytes, MAX_IDLE),
                new RecyclingBuf.Pool(FrameDecoder.HEADER_BYTES, 1));
    }

    /** Netty's handle of this socket. */
    private final class PooledHandle implements ExtendedHandle {
        private final ExtendedHandle policy;
        private final RecyclingBuf.Pool pool;
        /** Header-sized buffers, for reads that must stop after the next header ({@link FrameDecoder#readBoundBytes()}). */
        private final RecyclingBuf.Pool headers;

        PooledHandle(ExtendedHandle policy, RecyclingBuf.Pool pool, RecyclingBuf.Pool headers) {
            this.policy = policy;
            this.pool = pool;
            this.headers = headers;
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            FrameDecoder d = decoder;
            if (d == null) {
                return pool.take();
            }
            ByteBuf destination = d.placementBuffer();
            if (destination != null) {
                return destination;
            }
            int bound = d.readBoundBytes();
            if (bound == 0) {
                return pool.take();
            }
            return (bound <= FrameDecoder.HEADER_BYTES ? headers : pool).take().bound(bound);
        }

        @Override
        public int guess() {
            return pool.capacityBytes();
        }

        @Override
        public void reset(ChannelConfig config) {
            policy.reset(config);
        }

        @Override
        public void incMessagesRead(int numMessages) {
            policy.incMessagesRead(numMessages);
        }

        @Override
        public void lastBytesRead(int bytes) {
            policy.lastBytesRead(bytes);
        }

        @Override
        public int lastBytesRead() {
            return policy.lastBytesRead();
        }

        @Override
        public void attemptedBytesRead(int bytes) {
            policy.attemptedBytesRead(bytes);
        }

        @Override
        public int attemptedBytesRead() {
            return policy.attemptedBytesRead();
        }

        @Override
        public boolean continueReading() {
            return policy.continueReading();
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return policy.continueReading(maybeMoreDataSupplier);
        }

        @Override
        public void readComplete() {
            policy.readComplete();
        }
    }
}
