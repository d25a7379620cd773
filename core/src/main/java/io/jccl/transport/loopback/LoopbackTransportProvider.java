package io.jccl.transport.loopback;

import io.jccl.spi.Transport;
import io.jccl.spi.TransportContext;
import io.jccl.spi.TransportHandler;
import io.jccl.spi.TransportProvider;

/**
 * Provider of the {@code loopback} transport: every rank lives in this JVM, so a send is a
 * hand-over of a view of the sender's memory to the receiver's queue. Always available; stateless
 * and thread-safe.
 */
public final class LoopbackTransportProvider implements TransportProvider {
    /** The name users select this transport by. */
    public static final String NAME = "loopback";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Transport open(TransportContext context, TransportHandler handler) {
        return new LoopbackTransport(context, handler);
    }
}
