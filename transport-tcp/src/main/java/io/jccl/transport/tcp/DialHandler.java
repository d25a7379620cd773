package io.jccl.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.nio.charset.StandardCharsets;

/**
 * Handler of one dialled (outbound, data-sending) connection: sends the {@link Handshake} when the
 * socket connects, waits for the acceptor's reply and then marks the connection ready. Afterwards
 * the peer never sends anything, so any inbound byte is a protocol error; the close of the channel
 * is a failure of the peer. Event-loop thread only.
 */
final class DialHandler extends ChannelInboundHandlerAdapter {
    private final TcpConnection connection;
    private final int connectionIndex;
    private final Handshake handshake;
    private final ByteBuf reply = Unpooled.buffer(Handshake.REPLY_HEADER_BYTES);
    private boolean ready;

    DialHandler(TcpConnection connection, int connectionIndex, Handshake handshake) {
        this.connection = connection;
        this.connectionIndex = connectionIndex;
        this.handshake = handshake;
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
        try {
            if (ready) {
                connection.fail(connectionIndex, "sent unexpected data after the handshake", null);
                ctx.close();
                return;
            }
            reply.writeBytes(in);
            if (reply.readableBytes() < Handshake.REPLY_HEADER_BYTES) {
                return;
            }
            int status = reply.getInt(0);
            int reasonBytes = reply.getInt(4);
            if (status == Handshake.STATUS_ACCEPTED && reasonBytes == 0
                    && reply.readableBytes() == Handshake.REPLY_HEADER_BYTES) {
                ready = true;
                connection.laneReady(connectionIndex, ctx.channel());
            } else if (status == Handshake.STATUS_ACCEPTED || reasonBytes < 0
                    || reasonBytes > Handshake.MAX_REASON_BYTES) {
                connection.fail(connectionIndex, "got a garbled handshake reply", null);
                ctx.close();
            } else if (reply.readableBytes() >= Handshake.REPLY_HEADER_BYTES + reasonBytes) {
                String reason = reply.toString(Handshake.REPLY_HEADER_BYTES, reasonBytes, StandardCharsets.UTF_8);
                connection.refused(connectionIndex, reason);
                ctx.close();
            }
        } finally {
            in.release();
        }
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
