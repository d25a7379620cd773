package io.jccl.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.nio.charset.StandardCharsets;

/**
 * First handler of one dialled connection: sends the {@link Handshake} when the socket connects, waits
 * for the acceptor's reply, and on acceptance replaces itself with a {@link FrameDecoder} for the peer
 * (which may send on this connection too) and marks the connection ready for our sends. Bytes after
 * the reply are the peer's first frames. Until then, the close of the channel is a failure to connect.
 * Event-loop thread only.
 */
final class DialHandler extends ChannelInboundHandlerAdapter {
    private final TcpConnection connection;
    private final int connectionIndex;
    private final Handshake handshake;
    private final TransportEvents events;
    private final ByteBuf reply = Unpooled.buffer(Handshake.REPLY_HEADER_BYTES);

    DialHandler(TcpConnection connection, int connectionIndex, Handshake handshake) {
        this.connection = connection;
        this.connectionIndex = connectionIndex;
        this.handshake = handshake;
        this.events = connection.events();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ByteBuf out = ctx.alloc().buffer(Handshake.BYTES);
        handshake.writeTo(out);
        ctx.writeAndFlush(out);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (reply.readableBytes() < Handshake.REPLY_HEADER_BYTES) {
            reply.writeBytes(in, Math.min(Handshake.REPLY_HEADER_BYTES - reply.readableBytes(), in.readableBytes()));
            if (reply.readableBytes() < Handshake.REPLY_HEADER_BYTES) {
                in.release();
                return;
            }
        }
        int status = reply.getInt(0);
        int reasonBytes = reply.getInt(4);
        if (status == Handshake.STATUS_ACCEPTED && reasonBytes == 0) {
            accepted(ctx, in);
            return;
        }
        try {
            if (status == Handshake.STATUS_ACCEPTED || reasonBytes < 0 || reasonBytes > Handshake.MAX_REASON_BYTES) {
                connection.fail(connectionIndex, "got a garbled handshake reply", null);
                ctx.close();
                return;
            }
            int missing = Handshake.REPLY_HEADER_BYTES + reasonBytes - reply.readableBytes();
            reply.ensureWritable(missing);
            reply.writeBytes(in, Math.min(missing, in.readableBytes()));
            if (reply.readableBytes() == Handshake.REPLY_HEADER_BYTES + reasonBytes) {
                String reason = reply.toString(Handshake.REPLY_HEADER_BYTES, reasonBytes, StandardCharsets.UTF_8);
                connection.refused(connectionIndex, reason);
                ctx.close();
            }
        } finally {
            in.release();
        }
    }

    /** The peer took us: frames from here on, in both directions; {@code in} may already hold some. */
    private void accepted(ChannelHandlerContext ctx, ByteBuf in) {
        connection.laneReady(connectionIndex, ctx.channel());
        FrameDecoder.takeOver(ctx, this, connection.peerRank(), connectionIndex, events,
                String.valueOf(ctx.channel().remoteAddress()), in);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connection.fail(connectionIndex, "closed", null);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        connection.fail(connectionIndex, "failed", cause);
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        reply.release();
    }
}
