package io.jccl.spi;

import io.jccl.config.Option;

import java.util.List;

/**
 * Entry point of a transport, found with {@link java.util.ServiceLoader}. Users pick a transport
 * by {@link #name()}; nothing compiles against a transport module.
 */
public interface TransportProvider {

    /** Name users select the transport by ({@code tcp}, {@code loopback}, {@code aeron-udp}, ...). */
    String name();

    /** False when the transport cannot run here (missing native library, device, JVM flag). */
    default boolean isAvailable() {
        return unavailabilityCause() == null;
    }

    /** Why the transport cannot run here, naming the fix; {@code null} (the default) when it can. */
    default Throwable unavailabilityCause() {
        return null;
    }

    /** Options this transport reads, so misspelt ones can be reported. */
    default List<Option<?>> options() {
        return List.of();
    }

    /**
     * Opens the transport for one communicator. Events may reach {@code handler} (on the new
     * transport's loop) as soon as this returns, even before the engine first uses the transport.
     */
    Transport open(TransportContext context, TransportHandler handler);
}
