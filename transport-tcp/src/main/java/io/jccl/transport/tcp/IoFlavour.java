package io.jccl.transport.tcp;

import io.jccl.JcclException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.nio.channels.spi.SelectorProvider;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;

/**
 * The Netty transport flavour. The classic {@code *EventLoopGroup} classes are deprecated in Netty
 * 4.2 but are the only ones 4.1 also has, and Spark users run 4.1.
 */
enum IoFlavour {
    EPOLL,
    NIO;

    private static final boolean DRIVEN_LOOP_AVAILABLE = classPresent("io.netty.channel.IoHandlerFactory");

    /** Whether this Netty has the I/O handler API that {@link DrivenProgressLoop} is built on (4.2 and later). */
    static boolean drivenLoopAvailable() {
        return DRIVEN_LOOP_AVAILABLE;
    }

    private static boolean classPresent(String name) {
        try {
            Class.forName(name, false, IoFlavour.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Parses {@link TcpOptions#NATIVE}; {@code auto} picks epoll when its native library loads. */
    static IoFlavour select(String requested) {
        switch (requested.trim().toLowerCase(Locale.ROOT)) {
            case "auto":
                return EpollSupport.isAvailable() ? EPOLL : NIO;
            case "epoll":
                if (!EpollSupport.isAvailable()) {
                    Throwable cause = EpollSupport.unavailabilityCause();
                    throw new JcclException(TcpOptions.NATIVE.property() + "=epoll but native epoll is unavailable here ("
                            + cause + "); use auto or nio", cause);
                }
                return EPOLL;
            case "nio":
                return NIO;
            default:
                throw new IllegalArgumentException("Invalid value for " + TcpOptions.NATIVE.property() + " ("
                        + TcpOptions.NATIVE.env() + "): expected auto, epoll or nio, got '" + requested + "'");
        }
    }

    @SuppressWarnings("deprecation")
    EventLoopGroup newGroup(int threads, ThreadFactory threadFactory, SelectStrategyFactory strategy) {
        return this == EPOLL ? EpollSupport.newGroup(threads, threadFactory, strategy)
                : new NioEventLoopGroup(threads, threadFactory, SelectorProvider.provider(), strategy);
    }

    Class<? extends SocketChannel> socketChannel() {
        return this == EPOLL ? EpollSupport.socketChannel() : NioSocketChannel.class;
    }

    Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollSupport.serverChannel() : NioServerSocketChannel.class;
    }
}
