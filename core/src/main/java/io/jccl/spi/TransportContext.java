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

    /**
     * The local address other ranks can reach this host at: the local side of the connection to
     * the rendezvous master (127.0.0.1 when the master is on loopback). Transports bind and
     * advertise it unless configured otherwise.
     */
    java.net.InetAddress advertiseAddress();

    /** Resolved options, for transport-specific settings. */
    Configuration configuration();
}
