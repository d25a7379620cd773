package io.jccl.transport.tcp;

import io.jccl.JcclException;
import io.jccl.config.Configuration;
import io.jccl.spi.Connection;
import io.jccl.spi.ProgressLoop;
import io.jccl.spi.Transport;
import io.jccl.spi.TransportContext;
import io.jccl.spi.TransportHandler;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One communicator's TCP endpoint: a listening socket that accepts the connections other ranks
 * dial, and the connections we dial. Each connection carries data both ways, so that on a pair of
 * ranks that exchange messages the data of each side acknowledges the other's and a small message
 * costs one TCP segment, not two; the lower rank dials (see {@link #connect}). By default ({@code jccl.tcp.progress=auto}) all
 * sockets run on one {@link DrivenEventLoop}, which the caller of a blocking collective drives
 * itself while it waits, and a daemon thread named {@code jccl-tcp-r<rank>} otherwise; with
 * {@code thread} (or Netty 4.1, NIO, or more than one I/O thread) they run on a classic Netty event-loop
 * group of such threads, the first of which is the engine's {@link #loop()}. Either way the sockets
 * hand events to the engine through {@link TransportEvents}.
 *
 * <p>Threading: {@link #connect} on {@link #loop()} only; {@link #localAddress()} and
 * {@link #close()} from any thread.
 */
final class TcpTransport implements Transport {
    private static final long SHUTDOWN_TIMEOUT_MS = 2_000;
    /** How long the higher rank of a pair waits for the lower one's dial before it dials itself. */
    static final long DIAL_GRACE_MS = 20;

    private final TransportContext context;
    private final IoFlavour flavour;
    private final EventLoopGroup group;
    private final Channel server;
    private final byte[] localAddress;
    private final TransportEvents events;
    private final ProgressLoop loop;
    private final Bootstrap dialler;
    private final int readBytes;
    private final EventLoop engineLoop;
    private final Peers peers;
    /** Every open socket but the listening one, to close explicitly in {@link #close()}. */
    private final Set<Channel> channels;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TcpTransport(TransportContext context, IoFlavour flavour, EventLoopGroup group, ProgressLoop loop,
                         EventLoop engineLoop, Channel server, byte[] localAddress, TransportEvents events,
                         Peers peers, Bootstrap dialler, int readBytes, Set<Channel> channels) {
        this.context = context;
        this.flavour = flavour;
        this.group = group;
        this.server = server;
        this.localAddress = localAddress;
        this.events = events;
        this.loop = loop;
        this.dialler = dialler;
        this.peers = peers;
        this.readBytes = readBytes;
        this.engineLoop = engineLoop;
        this.channels = channels;
    }

    /** Starts the event loops and binds the listening socket (blocking at most the connect timeout). */
    static TcpTransport open(TransportContext context, TransportHandler handler) {
        Configuration configuration = context.configuration();
        IoFlavour flavour = IoFlavour.select(configuration.get(TcpOptions.NATIVE));
        int connectTimeoutMs = configuration.get(TcpOptions.CONNECT_TIMEOUT_MS);
        int sendBufferBytes = configuration.get(TcpOptions.SEND_BUFFER_BYTES);
        int receiveBufferBytes = configuration.get(TcpOptions.RECEIVE_BUFFER_BYTES);
        InetSocketAddress bindAddress = bindAddress(configuration.get(TcpOptions.ADDRESS), context);
        Set<Channel> channels = ConcurrentHashMap.newKeySet();

        int ioThreads = configuration.get(TcpOptions.IO_THREADS);
        String threadName = "jccl-tcp-r" + context.rank();
        EventLoopGroup group;
        EventLoop engineLoop;
        ProgressLoop loop;
        if (callerDriven(configuration.get(TcpOptions.PROGRESS), ioThreads, flavour)) {
            DrivenProgressLoop driven = DrivenProgressLoop.start(flavour, threadName);
            engineLoop = driven.eventLoop();
            group = engineLoop;
            loop = driven;
        } else {
            PollingSelectStrategy polling = new PollingSelectStrategy();
            group = flavour.newGroup(ioThreads, new DefaultThreadFactory(threadName, true), polling);
            // The engine runs on the first loop; with one I/O thread every socket is served there too.
            engineLoop = group.next();
            loop = new NettyProgressLoop(engineLoop, polling);
        }
        TransportEvents events = new TransportEvents(context, handler, engineLoop);
        Peers peers = new Peers(configuration.get(TcpOptions.CONNECTIONS_PER_PEER), events, flavour == IoFlavour.EPOLL);
        try {
            int readBytes = configuration.get(TcpOptions.READ_BYTES);
            ServerBootstrap acceptor = new ServerBootstrap().group(engineLoop, group).channel(flavour.serverChannel())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel channel) {
                            track(channels, channel);
                            prepareSocket(channel, readBytes, new AcceptHandler(events, peers));
                        }
                    });
            Bootstrap dialler = new Bootstrap().group(group).channel(flavour.socketChannel())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMs);
            if (receiveBufferBytes > 0) {
                // On the listening socket too, so accepted sockets negotiate their window scale with it.
                acceptor.option(ChannelOption.SO_RCVBUF, receiveBufferBytes)
                        .childOption(ChannelOption.SO_RCVBUF, receiveBufferBytes);
                dialler.option(ChannelOption.SO_RCVBUF, receiveBufferBytes);
            }
            if (sendBufferBytes > 0) {
                acceptor.childOption(ChannelOption.SO_SNDBUF, sendBufferBytes);
                dialler.option(ChannelOption.SO_SNDBUF, sendBufferBytes);
            }
            ChannelFuture bound = acceptor.bind(bindAddress);
            if (!bound.awaitUninterruptibly(connectTimeoutMs) || !bound.isSuccess()) {
                bound.channel().close();
                throw new JcclException("rank " + context.rank() + " cannot listen on " + bindAddress + ": "
                        + (bound.cause() == null ? "timed out" : bound.cause())
                        + " (set " + TcpOptions.ADDRESS.property() + " to an address of this host)", bound.cause());
            }
            Channel server = bound.channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            InetAddress advertised = bindAddress.getAddress().isAnyLocalAddress()
                    ? context.advertiseAddress() : bindAddress.getAddress();
            return new TcpTransport(context, flavour, group, loop, engineLoop, server,
                    PeerAddress.encode(advertised, port), events, peers, dialler, readBytes, channels);
        } catch (RuntimeException | Error e) {
            group.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS * 2);
            throw e;
        }
    }

    /**
     * Parses {@link TcpOptions#PROGRESS}: whether callers of blocking calls drive the sockets. Only with
     * epoll: a Java NIO socket that an interrupted thread reads or writes is closed by the JDK, and a
     * caller's thread is the caller's to interrupt.
     */
    static boolean callerDriven(String requested, int ioThreads, IoFlavour flavour) {
        switch (requested.trim().toLowerCase(Locale.ROOT)) {
            case "auto":
                return ioThreads == 1 && flavour == IoFlavour.EPOLL && IoFlavour.drivenLoopAvailable();
            case "caller":
                if (ioThreads != 1) {
                    throw new IllegalArgumentException(TcpOptions.PROGRESS.property() + "=caller needs "
                            + TcpOptions.IO_THREADS.property() + "=1 (got " + ioThreads + "); use auto or thread");
                }
                if (flavour != IoFlavour.EPOLL) {
                    throw new IllegalArgumentException(TcpOptions.PROGRESS.property() + "=caller needs epoll ("
                            + TcpOptions.NATIVE.property() + " resolved to " + flavour.name().toLowerCase(Locale.ROOT)
                            + "): Java NIO closes a socket that an interrupted caller touches; use auto or thread");
                }
                if (!IoFlavour.drivenLoopAvailable()) {
                    throw new JcclException(TcpOptions.PROGRESS.property() + "=caller needs Netty 4.2 or later"
                            + " (io.netty.channel.IoHandlerFactory is missing); use auto or thread");
                }
                return true;
            case "thread":
                return false;
            default:
                throw new IllegalArgumentException("Invalid value for " + TcpOptions.PROGRESS.property() + " ("
                        + TcpOptions.PROGRESS.env() + "): expected auto, caller or thread, got '" + requested + "'");
        }
    }

    private static void track(Set<Channel> channels, Channel channel) {
        channels.add(channel);
        channel.closeFuture().addListener(future -> channels.remove(channel));
    }

    private static InetSocketAddress bindAddress(String configured, TransportContext context) {
        if (configured == null || configured.isBlank()) {
            return new InetSocketAddress(context.advertiseAddress(), 0);
        }
        try {
            return PeerAddress.parse(configured, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid value for " + TcpOptions.ADDRESS.property() + " ("
                    + TcpOptions.ADDRESS.env() + "): " + e.getMessage(), e);
        }
    }

    IoFlavour ioFlavour() {
        return flavour;
    }

    Channel serverChannel() {
        return server;
    }

    /** Open sockets besides the listening one (dialled and accepted), for tests. */
    int openChannelCount() {
        return channels.size();
    }

    @Override
    public byte[] localAddress() {
        return localAddress.clone();
    }

    @Override
    public ProgressLoop loop() {
        return loop;
    }

    /**
     * The connections to {@code peerRank}. The lower rank of a pair dials at once; the higher one uses
     * what the lower dials, and dials itself only if nothing came within {@link #DIAL_GRACE_MS} (a
     * lower rank that only receives from us never calls connect). Either way connection {@code i} is
     * the first socket of index {@code i} that completes its handshake, on both sides; should both
     * ranks dial at once, each sends on the socket it got first and reads both.
     */
    @Override
    public Connection connect(int peerRank, byte[] peerAddress) {
        if (closed.get()) {
            throw new IllegalStateException("TCP transport of rank " + context.rank() + " is closed");
        }
        InetSocketAddress remote = PeerAddress.decode(peerAddress);
        String text = PeerAddress.text(remote.getAddress(), remote.getPort());
        TcpConnection connection = peers.of(peerRank, text);
        if (connection.startConnecting(text)) {
            if (context.rank() < peerRank && !connection.anyReady()) {
                dialMissing(connection, remote);
            } else {
                engineLoop.schedule(() -> dialMissing(connection, remote), DIAL_GRACE_MS, TimeUnit.MILLISECONDS);
            }
        }
        return connection;
    }

    /**
     * Readies a new socket, accepted or dialled, before its first read: its own reused read buffers
     * (one allocator each), then the handler that runs its handshake.
     */
    private static void prepareSocket(Channel channel, int readBytes, ChannelHandler handshake) {
        channel.config().setRecvByteBufAllocator(new ReadBuffers(readBytes));
        channel.pipeline().addLast("handshake", handshake);
    }

    /** Dials every connection to the peer that has no socket yet. */
    private void dialMissing(TcpConnection connection, InetSocketAddress remote) {
        if (closed.get()) {
            return;
        }
        int peerRank = connection.peerRank();
        for (int index = 0; index < peers.connectionsPerPeer(); index++) {
            if (!connection.missing(index)) {
                continue;
            }
            int connectionIndex = index;
            Handshake handshake = Handshake.of(context.communicatorId(), context.worldSize(), context.rank(),
                    peerRank, connectionIndex);
            ChannelFuture connecting = dialler.clone().handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel channel) {
                    prepareSocket(channel, readBytes, new DialHandler(connection, connectionIndex, handshake));
                }
            }).connect(remote);
            track(channels, connecting.channel());
            connecting.addListener((ChannelFuture future) -> {
                if (!future.isSuccess()) {
                    connection.fail(connectionIndex, "could not be established", future.cause());
                }
            });
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        events.closing = true; // our own channels closing now are not failures of the peers
        try {
            // Sockets are closed explicitly first: with NIO, a socket that is only closed by the group's
            // shutdown can stay open (the JDK defers the close to a select that never comes), so peers
            // would hang instead of seeing the close, and the file descriptors would leak.
            long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_TIMEOUT_MS);
            List<ChannelFuture> closing = new ArrayList<>();
            closing.add(server.close());
            for (Channel channel : channels) {
                closing.add(channel.close());
            }
            for (ChannelFuture future : closing) {
                future.awaitUninterruptibly(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime())));
            }
            // Quiet period 0: there is nothing left to wait for once the channels are closed.
            group.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS * 2);
        } catch (RuntimeException e) {
            // close() never throws; the threads are daemons and end with the group anyway
        }
    }

    @Override
    public String toString() {
        return "TcpTransport[rank " + context.rank() + ", " + flavour + ", " + server.localAddress()
                + (closed.get() ? ", closed]" : "]");
    }
}
