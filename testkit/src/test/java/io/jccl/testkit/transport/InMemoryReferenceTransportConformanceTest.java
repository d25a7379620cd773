package io.jccl.testkit.transport;

/**
 * The conformance suite against {@link InMemoryReferenceTransport}, a test-only transport that uses
 * every path of the SPI (back-pressure, copied and re-entrantly completed sends, fragments): it
 * tests the kit itself, independently of the real transports.
 */
class InMemoryReferenceTransportConformanceTest extends TransportConformanceSuite {
    @Override
    protected String transportName() {
        return InMemoryReferenceTransportProvider.NAME;
    }
}
