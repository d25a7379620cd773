package io.jccl.transport.tcp;

import io.jccl.spi.Connection;
import io.jccl.spi.Tags;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The sending path to one peer: {@code k} dialled connections, a message of lane {@code L} going
 * over connection {@code L % k} (so one lane's messages stay in order). {@link #postSend} writes
 * a pooled 20-byte header and a wrapper of the caller's memory (no copy) in one event-loop task
 * and flushes; the completion is queued when Netty has written the payload into the socket.
 * Back-pressure ({@code false}) only while the connection for that lane is not yet established.
 *
 * <p>{@link #postSend} on the engine thread; the rest on event-loop threads.
 */
final class TcpConnection implements Connection {
    private final int peerRank;
    private final String peerAddress;
    private final TransportEvents events;
    private final AtomicReferenceArray<Channel> lanes;

    TcpConnection(int peerRank, String peerAddress, int connectionCount, TransportEvents events) {
        this.peerRank = peerRank;
        this.peerAddress = peerAddress;
        this.events = events;
        this.lanes = new AtomicReferenceArray<>(connectionCount);
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
    public boolean postSend(long tag, long descriptor, ByteBuffer memory, int offsetBytes, int lengthBytes,
                            long token) {
        Objects.checkFromIndexSize(offsetBytes, lengthBytes, memory.capacity());
        if (events.hasFailed(peerRank)) {
            return true; // dropped: the failure has been reported through onFailure
        }
        int connectionIndex = Tags.lane(tag) % lanes.length();
        Channel channel = lanes.get(connectionIndex);
        if (channel == null) {
            return false; // still connecting; laneReady() wakes the engine to post again
        }
        ByteBuf header = channel.alloc().directBuffer(FrameDecoder.HEADER_BYTES);
        header.writeLong(tag).writeLong(descriptor).writeInt(lengthBytes);
        ByteBuf payload = lengthBytes == 0 ? null : Unpooled.wrappedBuffer(memory.slice(offsetBytes, lengthBytes));
        ChannelPromise promise = channel.newPromise();
        promise.addListener(new SendCompletion(token, this, connectionIndex));
        try {
            // One task for both writes: a write from outside the event loop would be a task each.
            channel.eventLoop().execute(() -> {
                if (payload == null) {
                    channel.writeAndFlush(header, promise);
                } else {
                    channel.write(header, channel.voidPromise());
                    channel.writeAndFlush(payload, promise);
                }
            });
        } catch (RejectedExecutionException e) {
            header.release();
            if (payload != null) {
                payload.release();
            }
            fail(connectionIndex, "was shut down", e);
        }
        return true;
    }

    /** The handshake of connection {@code index} was accepted: sends on its lanes may go. */
    void laneReady(int index, Channel channel) {
        lanes.set(index, channel);
        events.wake();
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
