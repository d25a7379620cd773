package io.jccl.transport.tcp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every peer's {@link TcpConnection}, made by whichever comes first: the engine's
 * {@link TcpTransport#connect} or the peer's dial reaching our listening socket. Thread-safe.
 */
final class Peers {
    private final Map<Integer, TcpConnection> byRank = new ConcurrentHashMap<>();
    private final int connectionsPerPeer;
    private final TransportEvents events;
    private final boolean epoll;

    Peers(int connectionsPerPeer, TransportEvents events, boolean epoll) {
        this.connectionsPerPeer = connectionsPerPeer;
        this.events = events;
        this.epoll = epoll;
    }

    /** The connection to {@code peerRank}, made now if it has none; {@code address} names the peer in messages. */
    TcpConnection of(int peerRank, String address) {
        return byRank.computeIfAbsent(peerRank, r -> new TcpConnection(r, address, connectionsPerPeer, events, epoll));
    }

    int connectionsPerPeer() {
        return connectionsPerPeer;
    }
}
