package io.jccl.transport.tcp;

import io.jccl.testkit.transport.TransportConformanceSuite;

import java.util.Map;

/** The conformance suite against the {@code tcp} transport forced onto Java NIO. */
class TcpNioTransportConformanceTest extends TransportConformanceSuite {
    @Override
    protected String transportName() {
        return TcpTransportProvider.NAME;
    }

    @Override
    protected Map<String, String> options() {
        return Map.of(TcpOptions.NATIVE.property(), "nio");
    }
}
