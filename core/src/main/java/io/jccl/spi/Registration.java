package io.jccl.spi;

/** Token for memory registered with a transport; closing it deregisters. */
public interface Registration extends AutoCloseable {
    /** The token of transports that need no registration. */
    Registration NONE = () -> { };

    @Override
    void close();
}
