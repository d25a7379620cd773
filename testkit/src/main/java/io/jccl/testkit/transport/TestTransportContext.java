package io.jccl.testkit.transport;

import io.jccl.config.Configuration;
import io.jccl.spi.TransportContext;

import java.net.InetAddress;

/** A {@link TransportContext} for tests: fixed rank, world size and communicator id; advertises 127.0.0.1. Immutable. */
public final class TestTransportContext implements TransportContext {
    private final int rank;
    private final int worldSize;
    private final long communicatorId;
    private final Configuration configuration;

    public TestTransportContext(int rank, int worldSize, long communicatorId, Configuration configuration) {
        this.rank = rank;
        this.worldSize = worldSize;
        this.communicatorId = communicatorId;
        this.configuration = configuration;
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int worldSize() {
        return worldSize;
    }

    @Override
    public long communicatorId() {
        return communicatorId;
    }

    @Override
    public InetAddress advertiseAddress() {
        return InetAddress.getLoopbackAddress();
    }

    @Override
    public Configuration configuration() {
        return configuration;
    }
}
