package io.jccl.testkit.transport;

/** The conformance suite against the in-JVM {@code loopback} transport of core. */
class LoopbackTransportConformanceTest extends TransportConformanceSuite {
    @Override
    protected String transportName() {
        return "loopback";
    }
}
