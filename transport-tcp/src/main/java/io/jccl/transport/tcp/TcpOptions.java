package io.jccl.transport.tcp;

import io.jccl.config.Option;
import io.jccl.spi.Tags;

import java.util.List;

/** The options of the TCP transport, each declared once. Immutable constants. */
public final class TcpOptions {
    /** Which Netty transport runs the sockets. */
    public static final Option<String> NATIVE = Option.string("jccl.tcp.native", "auto",
            "Netty I/O: auto (epoll when available, else nio), epoll or nio");
    public static final Option<String> PROGRESS = Option.string("jccl.tcp.progress", "auto",
            "who runs the sockets while a blocking call waits: caller (the calling thread itself; needs epoll,"
                    + " Netty 4.2+ and jccl.tcp.io.threads=1), thread (Netty's thread, waking the caller), or auto"
                    + " (caller where possible)");
    public static final Option<Integer> IO_THREADS = Option.integer("jccl.tcp.io.threads", 1, 1, 256,
            "Netty event-loop threads per communicator");
    public static final Option<Integer> CONNECTIONS_PER_PEER = Option.integer("jccl.tcp.connections.per.peer", 1,
            1, Tags.MAX_LANES, "TCP connections per peer (each carries both directions); a message of lane L uses connection L % k;"
                    + " the same on every rank");
    public static final Option<String> ADDRESS = Option.string("jccl.tcp.address", "",
            "host or host:port to listen on and advertise; empty = the address facing the rendezvous master, any port");
    public static final Option<Integer> SEND_BUFFER_BYTES = Option.integer("jccl.tcp.send.buffer.bytes", 0,
            0, Integer.MAX_VALUE, "SO_SNDBUF of each socket; 0 = operating-system default (autotuned)");
    public static final Option<Integer> RECEIVE_BUFFER_BYTES = Option.integer("jccl.tcp.receive.buffer.bytes", 0,
            0, Integer.MAX_VALUE, "SO_RCVBUF of each socket; 0 = operating-system default (autotuned)");
    public static final Option<Integer> READ_BYTES = Option.integer("jccl.tcp.read.bytes", 1 << 20, 4096, 64 << 20,
            "most bytes one socket read takes; larger reads mean fewer system calls per message");
    public static final Option<Integer> CONNECT_TIMEOUT_MS = Option.integer("jccl.tcp.connect.timeout.ms", 30_000,
            1, Integer.MAX_VALUE, "timeout of connecting to a peer (and of binding the listening socket)");

    private TcpOptions() {
    }

    /** Every option above, for {@link io.jccl.spi.TransportProvider#options()}. */
    public static List<Option<?>> all() {
        return List.of(NATIVE, PROGRESS, IO_THREADS, CONNECTIONS_PER_PEER, ADDRESS, SEND_BUFFER_BYTES,
                RECEIVE_BUFFER_BYTES, READ_BYTES, CONNECT_TIMEOUT_MS);
    }
}
