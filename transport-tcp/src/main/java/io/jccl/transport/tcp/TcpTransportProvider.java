package io.jccl.transport.tcp;

import io.jccl.config.Option;
import io.jccl.spi.Transport;
import io.jccl.spi.TransportContext;
import io.jccl.spi.TransportHandler;
import io.jccl.spi.TransportProvider;

import java.util.List;

/**
 * Provider of the {@code tcp} transport (Netty; epoll when available, NIO otherwise). Always
 * available, since NIO needs nothing native. Stateless and thread-safe; each {@link #open} starts
 * its own daemon event-loop threads, stopped by {@link Transport#close()}.
 */
public final class TcpTransportProvider implements TransportProvider {
    /** The name users select this transport by. */
    public static final String NAME = "tcp";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Option<?>> options() {
        return TcpOptions.all();
    }

    @Override
    public Transport open(TransportContext context, TransportHandler handler) {
        return TcpTransport.open(context, handler);
    }
}
