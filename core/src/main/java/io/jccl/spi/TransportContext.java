package io.jccl.spi;

import io.jccl.config.Configuration;

/**
 * What a transport learns about the communicator it serves. Implemented by the engine.
 */
public interface TransportContext {

    int rank();

    int worldSize();

    /** Random identifier shared by all ranks of the communicator; transports check it at handshake. */
    long communicatorId();

    /** Resolved options, for transport-specific settings. */
    Configuration configuration();

    /**
     * Tells the engine there is work for {@link Transport#poll}. Call it from any thread after
     * queuing a completion or an inbound fragment; cheap when the engine is already awake.
     */
    void wakeup();
}
