package io.jccl.transport.tcp;

import io.jccl.testkit.transport.TransportConformanceSuite;

import java.util.Map;

/** The conformance suite against the {@code tcp} transport with three connections per peer and two I/O threads. */
class TcpMultiConnectionConformanceTest extends TransportConformanceSuite {
    @Override
    protected String transportName() {
        return TcpTransportProvider.NAME;
    }

    @Override
    protected Map<String, String> options() {
        return Map.of(TcpOptions.CONNECTIONS_PER_PEER.property(), "3", TcpOptions.IO_THREADS.property(), "2");
    }
}
