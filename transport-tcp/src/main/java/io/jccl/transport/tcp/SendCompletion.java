package io.jccl.transport.tcp;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;

/**
 * Listens for the write of one message and, once the payload is in the kernel, reports the
 * completion of {@link #token} to the engine. A failed write is reported as a failure of the peer
 * instead.
 */
final class SendCompletion implements ChannelFutureListener {
    final long token;
    private final TcpConnection connection;
    private final int connectionIndex;

    SendCompletion(long token, TcpConnection connection, int connectionIndex) {
        this.token = token;
        this.connection = connection;
        this.connectionIndex = connectionIndex;
    }

    @Override
    public void operationComplete(ChannelFuture future) {
        if (future.isSuccess()) {
            connection.events().sendComplete(token);
        } else {
            connection.fail(connectionIndex, "failed to write a message", future.cause());
        }
    }
}
