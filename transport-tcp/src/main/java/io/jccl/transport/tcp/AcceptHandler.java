package io.jccl.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * First handler of an accepted connection: reads the {@link Handshake}, answers it, and on success
 * replaces itself with a {@link FrameDecoder} for the dialling rank and offers the socket to that
 * rank's {@link TcpConnection} for our sends too. A refused dialler from our own
 * job's protocol (right magic, wrong job or rank) is also reported here as a failure with rank -1,
 * since it means the job is misconfigured; anything else (a port scanner) is just closed.
 * Event-loop thread only.
 */
final class AcceptHandler extends ChannelInboundHandlerAdapter {
    private final TransportEvents events;
    private final Peers peers;
    private final ByteBuf received = Unpooled.buffer(Handshake.BYTES, Handshake.BYTES);
    private boolean done;

    AcceptHandler(TransportEvents events, Peers peers) {
        this.events = events;
        this.peers = peers;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (done) {
            in.release(); // after a refusal, until the close lands
            return;
        }
        received.writeBytes(in, Math.min(received.writableBytes(), in.readableBytes()));
        if (received.isWritable()) {
            in.release();
            return;
        }
        done = true;
        Handshake handshake = Handshake.readFrom(received);
        var context = events.context();
        String refusal = handshake.refusal(context.communicatorId(), context.worldSize(), context.rank());
        if (refusal == null && handshake.connectionIndex >= peers.connectionsPerPeer()) {
            refusal = "connection index " + handshake.connectionIndex + ", but rank " + context.rank() + " uses "
                    + peers.connectionsPerPeer() + " connections per peer (set " + TcpOptions.CONNECTIONS_PER_PEER.property()
                    + " the same on every rank)";
        }
        String remote = String.valueOf(ctx.channel().remoteAddress());
        ByteBuf reply = ctx.alloc().buffer(Handshake.REPLY_HEADER_BYTES + Handshake.MAX_REASON_BYTES);
        Handshake.writeReply(reply, refusal);
        if (refusal != null) {
            in.release();
            ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
            if (handshake.magic == Handshake.MAGIC) {
                events.fail(-1, "rank " + context.rank() + " refused a connection from " + remote + ": " + refusal,
                        null);
            }
            return;
        }
        ctx.writeAndFlush(reply);
        peers.of(handshake.senderRank, remote).laneReady(handshake.connectionIndex, ctx.channel());
        // The dialler waits for the reply, so normally nothing follows the handshake in this read.
        FrameDecoder.takeOver(ctx, this, handshake.senderRank, handshake.connectionIndex, events, remote, in);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // before the handshake there is no rank to blame
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        received.release();
    }
}
