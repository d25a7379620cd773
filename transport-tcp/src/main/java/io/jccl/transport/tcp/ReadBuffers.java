package io.jccl.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * What accepted sockets read into: buffers of {@code jccl.tcp.read.bytes} from a pool per socket,
 * reused read after read (see {@link RecyclingBuf}), so receiving allocates nothing and the
 * fragment views Netty caches per buffer are made once. How much to read per wake-up is left to
 * Netty's fixed-size policy: up to 16 reads while each fills its buffer.
 */
final class ReadBuffers implements RecvByteBufAllocator {
    /** Idle buffers kept per socket; more exist only while the engine keeps early fragments. */
    private static final int MAX_IDLE = 4;

    private final int readBytes;
    private final FixedRecvByteBufAllocator policy;

    ReadBuffers(int readBytes) {
        this.readBytes = readBytes;
        this.policy = new FixedRecvByteBufAllocator(readBytes);
    }

    @Override
    public Handle newHandle() {
        return new PooledHandle((ExtendedHandle) policy.newHandle(), new RecyclingBuf.Pool(readBytes, MAX_IDLE));
    }

    /** Netty's handle of one socket, allocating from that socket's pool. */
    private static final class PooledHandle implements ExtendedHandle {
        private final ExtendedHandle policy;
        private final RecyclingBuf.Pool pool;

        PooledHandle(ExtendedHandle policy, RecyclingBuf.Pool pool) {
            this.policy = policy;
            this.pool = pool;
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            return pool.take();
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
