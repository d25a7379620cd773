package io.jccl.testkit.transport;

import io.jccl.spi.Transport;
import io.jccl.spi.TransportContext;
import io.jccl.spi.TransportHandler;
import io.jccl.spi.TransportProvider;

/** Provider of the {@link InMemoryReferenceTransport}, registered for this module's tests only. */
public final class InMemoryReferenceTransportProvider implements TransportProvider {
    static final String NAME = "reference-in-memory";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Transport open(TransportContext context, TransportHandler handler) {
        return new InMemoryReferenceTransport(context, handler);
    }
}
