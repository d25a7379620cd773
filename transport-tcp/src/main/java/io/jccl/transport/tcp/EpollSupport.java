package io.jccl.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.unix.UnixChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadFactory;

/**
 * Every reference to Netty's epoll classes, kept here so that a class path without the epoll jar
 * fails only the availability check (caught) and NIO still works.
 */
final class EpollSupport {
    private EpollSupport() {
    }

    static boolean isAvailable() {
        try {
            return Epoll.isAvailable();
        } catch (LinkageError e) {
            return false;
        }
    }

    static Throwable unavailabilityCause() {
        try {
            return Epoll.unavailabilityCause();
        } catch (LinkageError e) {
            return e;
        }
    }

    @SuppressWarnings("deprecation")
    static EventLoopGroup newGroup(int threads, ThreadFactory threadFactory, SelectStrategyFactory strategy) {
        return new EpollEventLoopGroup(threads, threadFactory, strategy);
    }

    static Class<? extends SocketChannel> socketChannel() {
        return EpollSocketChannel.class;
    }

    static Class<? extends ServerChannel> serverChannel() {
        return EpollServerSocketChannel.class;
    }

    /**
     * Writes all of {@code frame} straight into the socket of an epoll {@code channel} when nothing of
     * the channel's own is waiting to be written, and releases it; otherwise (earlier writes pending,
     * the socket full, an error) writes nothing or what the socket took, and returns false: the rest
     * then goes through Netty as usual, which also reports any error. Event loop only.
     *
     * <p>Why: a small frame then costs one system call and no pipeline pass, and it allocates nothing,
     * where Netty's outbound buffer takes an entry from a per-thread recycler that pools only on Netty's
     * own threads; a caller that drives the loop is not one.
     */
    static boolean writeWhole(Channel channel, ByteBuf frame) {
        if (!socketFree(channel)) {
            return false;
        }
        int length = frame.readableBytes();
        ByteBuffer view = frame.internalNioBuffer(frame.readerIndex(), length);
        int written;
        try {
            written = ((UnixChannel) channel).fd().write(view, view.position(), view.limit());
        } catch (IOException | RuntimeException e) {
            return false; // Netty's own write meets the same error and closes and reports as usual
        }
        if (written == length) {
            frame.release();
            return true;
        }
        frame.skipBytes(written);
        return false;
    }

    /**
     * Like {@link #writeWhole} for a header and a payload range, in one {@code writev}: returns how
     * many bytes the socket took (all of them in the usual case), or -1 when it was not tried
     * (earlier writes pending, channel inactive) or failed before writing anything. Releases nothing.
     * {@code iov} is a reused two-element array, cleared again before this returns. Event loop only.
     */
    static long writeTwo(Channel channel, ByteBuf header, ByteBuf payload, int payloadIndex, int payloadLength,
                         ByteBuffer[] iov) {
        if (!socketFree(channel)) {
            return -1;
        }
        iov[0] = header.internalNioBuffer(header.readerIndex(), header.readableBytes());
        iov[1] = payload.internalNioBuffer(payloadIndex, payloadLength);
        try {
            return ((UnixChannel) channel).fd().writev(iov, 0, 2, Long.MAX_VALUE);
        } catch (IOException | RuntimeException e) {
            return -1; // Netty's own write meets the same error and closes and reports as usual
        } finally {
            iov[0] = null;
            iov[1] = null;
        }
    }

    /** Whether a direct write may go ahead: the channel is open and nothing of Netty's waits to be written. */
    private static boolean socketFree(Channel channel) {
        ChannelOutboundBuffer pending = channel.unsafe().outboundBuffer();
        return pending != null && pending.totalPendingWriteBytes() == 0 && channel.isActive();
    }
}
