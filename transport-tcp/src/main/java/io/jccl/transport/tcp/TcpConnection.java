package io.jccl.transport.tcp;

import io.jccl.spi.Connection;
import io.jccl.spi.Tags;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The sending path to one peer: {@code k} connections, a message of lane {@code L} going over
 * connection {@code L % k} (so one lane's messages stay in order). Connection {@code i} is whichever
 * socket of index {@code i} between the two ranks was established first, dialled by us or by the
 * peer: both sides send and receive on it, so each side's data carries the acknowledgements of the
 * other's and small messages cost no extra ACK segment (see {@link TcpTransport#connect}).
 * A payload of at most
 * {@link #COPY_MAX_BYTES} is copied with its 20-byte header into one reused frame and reported
 * {@link SendResult#COMPLETE} (no allocation, no completion event); with epoll it goes straight into the
 * socket when nothing else waits to be written there. A larger one is written as a
 * reused header frame plus a wrapper of the caller's memory (no copy; the wrapper is reused for
 * later sends of the same buffer, see {@link PayloadCache}) and completes when Netty has written it
 * into the socket; with epoll, on the event loop, header and payload first go into the socket in one
 * {@code writev}, complete at once when it takes them all. A read-only buffer gets a fresh wrapper and
 * a promise each time. Back-pressure
 * only while the connection for that lane is not yet established; {@link #laneReady} then reports
 * the peer writable.
 *
 * <p>{@link #postSend} on the engine's loop; the rest on event-loop threads.
 */
final class TcpConnection implements Connection {
    /** Below this a copy is cheaper than wrapping the caller's memory and waiting for the write. */
    static final int COPY_MAX_BYTES = 8 * 1024;

    private final int peerRank;
    /** The peer's listening address once we know it (connect), its socket's address before. */
    private volatile String peerAddress;
    private final TransportEvents events;
    private final AtomicReferenceArray<Channel> lanes;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private final PayloadCache payloads;
    /** Whether small frames may be written straight into the socket ({@link EpollSupport#writeWhole}). */
    private final boolean directWrites;
    /** The two-buffer vector of {@link #writeDirect}; event loop only. */
    private final ByteBuffer[] iov = new ByteBuffer[2];
    /** Frames of small sends and headers of large ones; at most a window's worth stay idle. */
    private final RecyclingBuf.Pool frames = new RecyclingBuf.Pool(FrameDecoder.HEADER_BYTES + COPY_MAX_BYTES, 256);

    TcpConnection(int peerRank, String peerAddress, int connectionCount, TransportEvents events, boolean epoll) {
        this.peerRank = peerRank;
        this.directWrites = epoll;
        this.peerAddress = peerAddress;
        this.events = events;
        this.lanes = new AtomicReferenceArray<>(connectionCount);
        this.payloads = new PayloadCache(events);
    }

    @Override
    public int peerRank() {
        return peerRank;
    }

    TransportEvents events() {
        return events;
    }

    int connectionCount() {
        return lanes.length();
    }

    @Override
    public SendResult postSend(long tag, long descriptor, ByteBuffer memory, int offsetBytes, int lengthBytes,
                               long token) {
        Objects.checkFromIndexSize(offsetBytes, lengthBytes, memory.capacity());
        if (events.hasFailed(peerRank)) {
            return SendResult.COMPLETE; // dropped: the failure has been reported through onFailure
        }
        int connectionIndex = Tags.lane(tag) % lanes.length();
        Channel channel = lanes.get(connectionIndex);
        if (channel == null) {
            return SendResult.BACK_PRESSURED; // still connecting; laneReady() reports the peer writable
        }
        if (lengthBytes <= COPY_MAX_BYTES) {
            ByteBuf frame = frames.take();
            frame.writeLong(tag).writeLong(descriptor).writeInt(lengthBytes);
            copy(memory, offsetBytes, lengthBytes, frame);
            write(channel, frame, null, channel.voidPromise(), connectionIndex);
            return SendResult.COMPLETE;
        }
        ByteBuf header = frames.take();
        header.writeLong(tag).writeLong(descriptor).writeInt(lengthBytes);
        PayloadBuf reusable = payloads.take(memory);
        if (reusable != null) {
            if (directWrites && channel.eventLoop().inEventLoop()) {
                return writeDirect(channel, header, reusable, offsetBytes, lengthBytes, token);
            }
            write(channel, header, reusable.arm(offsetBytes, lengthBytes, token), channel.voidPromise(),
                    connectionIndex);
            return SendResult.IN_FLIGHT;
        }
        ByteBuf payload = Unpooled.wrappedBuffer(memory.slice(offsetBytes, lengthBytes));
        ChannelPromise promise = channel.newPromise();
        promise.addListener(new SendCompletion(token, this, connectionIndex));
        write(channel, header, payload, promise, connectionIndex);
        return SendResult.IN_FLIGHT;
    }

    /**
     * A large send on the event loop with epoll: header and payload go into the socket in one
     * {@code writev}, and when it takes all (nothing of ours pending, room in the socket buffer) the send
     * is complete at once, without Netty's outbound buffer or a completion event. What it does not take
     * goes through Netty as usual, from where the socket stopped.
     */
    private SendResult writeDirect(Channel channel, ByteBuf header, PayloadBuf payload, int offsetBytes,
                                   int lengthBytes, long token) {
        int headerBytes = header.readableBytes();
        payload.arm(offsetBytes, lengthBytes, token); // makes an idle (released) wrapper accessible again
        long written = EpollSupport.writeTwo(channel, header, payload, offsetBytes, lengthBytes, iov);
        if (written == (long) headerBytes + lengthBytes) {
            header.release();
            payloads.idle(payload);
            return SendResult.COMPLETE;
        }
        if (written < headerBytes) {
            header.skipBytes((int) Math.max(0, written));
            writeNow(channel, header, payload, channel.voidPromise());
        } else {
            header.release();
            int done = (int) (written - headerBytes);
            writeNow(channel, payload.arm(offsetBytes + done, lengthBytes - done, token), null, channel.voidPromise());
        }
        return SendResult.IN_FLIGHT;
    }

    /** Copies without touching {@code memory}'s position or limit (another thread may read them). */
    private static void copy(ByteBuffer memory, int offsetBytes, int lengthBytes, ByteBuf frame) {
        if (lengthBytes <= 64) {
            boolean little = memory.order() == ByteOrder.LITTLE_ENDIAN;
            int i = 0;
            for (; i + 8 <= lengthBytes; i += 8) {
                long v = memory.getLong(offsetBytes + i);
                if (little) {
                    frame.writeLongLE(v);
                } else {
                    frame.writeLong(v);
                }
            }
            for (; i < lengthBytes; i++) {
                frame.writeByte(memory.get(offsetBytes + i));
            }
        } else {
            // Absolute bulk copy into the frame's cached internal view: no duplicate of either buffer.
            int at = frame.writerIndex();
            ByteBuffer view = frame.internalNioBuffer(at, lengthBytes);
            view.put(view.position(), memory, offsetBytes, lengthBytes);
            frame.writerIndex(at + lengthBytes);
        }
    }

    private void write(Channel channel, ByteBuf first, ByteBuf second, ChannelPromise promise, int connectionIndex) {
        if (channel.eventLoop().inEventLoop()) {
            if (second == null && directWrites && EpollSupport.writeWhole(channel, first)) {
                return;
            }
            writeNow(channel, first, second, promise);
            return;
        }
        try {
            // One task for both writes: a write from outside the event loop would be a task each.
            channel.eventLoop().execute(() -> writeNow(channel, first, second, promise));
        } catch (RejectedExecutionException e) {
            first.release();
            if (second != null) {
                second.release();
            }
            fail(connectionIndex, "was shut down", e);
        }
    }

    private static void writeNow(Channel channel, ByteBuf first, ByteBuf second, ChannelPromise promise) {
        if (second == null) {
            channel.writeAndFlush(first, promise);
        } else {
            channel.write(first, channel.voidPromise());
            channel.writeAndFlush(second, promise);
        }
    }

    /** How many payload wrappers this connection has made; engine loop only. */
    long payloadWrappersCreated() {
        return payloads.created();
    }

    /** How many frame buffers this connection has made. */
    long framesCreated() {
        return frames.created();
    }

    /**
     * Connection {@code index} is established over {@code channel} (handshake done, dialled or accepted):
     * sends on its lanes may go. The first channel of an index stays its channel, so a lane's messages
     * never switch sockets; a later one (both ranks dialled at once) only receives.
     */
    void laneReady(int index, Channel channel) {
        if (lanes.compareAndSet(index, null, channel)) {
            events.writable(peerRank);
        }
    }

    /** Whether connection {@code index} has no channel yet. */
    boolean missing(int index) {
        return lanes.get(index) == null;
    }

    /** Whether any connection has a channel. */
    boolean anyReady() {
        for (int i = 0; i < lanes.length(); i++) {
            if (lanes.get(i) != null) {
                return true;
            }
        }
        return false;
    }

    /** True the first time only: the caller then sees to it that every connection gets established. */
    boolean startConnecting(String listeningAddress) {
        peerAddress = listeningAddress;
        return connecting.compareAndSet(false, true);
    }

    void refused(int index, String reason) {
        events.fail(peerRank, "rank " + peerRank + " at " + peerAddress + " refused connection " + index + ": "
                + reason, null);
    }

    void fail(int index, String problem, Throwable cause) {
        events.fail(peerRank, "connection to rank " + peerRank + " at " + peerAddress + " " + problem
                + " (connection " + index + " of " + lanes.length() + ")"
                + (cause == null ? "" : ": " + cause) + ": is the process alive?", cause);
    }
}
