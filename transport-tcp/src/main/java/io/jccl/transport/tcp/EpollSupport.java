package io.jccl.transport.tcp;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;

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
}
