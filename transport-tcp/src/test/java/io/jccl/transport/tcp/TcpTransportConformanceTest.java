package io.jccl.transport.tcp;

import io.jccl.testkit.transport.TransportConformanceSuite;

/** The conformance suite against the {@code tcp} transport with default options (epoll on Linux). */
class TcpTransportConformanceTest extends TransportConformanceSuite {
    @Override
    protected String transportName() {
        return TcpTransportProvider.NAME;
    }
}
