package io.jccl.testkit.transport;

import io.jccl.spi.Connection;
import io.jccl.spi.Transport;

import java.util.HashMap;
import java.util.Map;

/**
 * One rank in a conformance test: its transport, context and recording handler. The transport's
 * engine-thread methods must be called by one thread at a time, the one named with
 * {@link TestTransportContext#driveFrom(Thread)}.
 */
public final class TransportNode implements AutoCloseable {
    public final int rank;
    public final TestTransportContext context;
    public final Transport transport;
    public final RecordingHandler handler = new RecordingHandler();
    private final byte[] address;
    private final Map<Integer, Connection> connections = new HashMap<>();

    public TransportNode(TestTransportContext context, Transport transport) {
        this.rank = context.rank();
        this.context = context;
        this.transport = transport;
        this.address = transport.localAddress();
    }

    /** The address this node published when it opened. */
    public byte[] address() {
        return address.clone();
    }

    /** The connection to {@code peer}, established on first use. */
    public Connection connect(TransportNode peer) {
        return connections.computeIfAbsent(peer.rank, r -> transport.connect(r, peer.address()));
    }

    public int poll() {
        return transport.poll(handler);
    }

    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return "rank " + rank + " (" + transport + ")";
    }
}
