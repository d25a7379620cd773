package io.jccl.testkit.transport;

import io.jccl.config.Configuration;
import io.jccl.spi.TransportContext;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link TransportContext} for tests: advertises 127.0.0.1 and turns {@link #wakeup()} into an
 * unpark of whichever thread currently drives the transport (see {@link #driveFrom(Thread)}), so a
 * transport that forgets to wake the engine makes the driver sleep until its deadline and fail.
 * Thread-safe.
 */
public final class TestTransportContext implements TransportContext {
    private final int rank;
    private final int worldSize;
    private final long communicatorId;
    private final Configuration configuration;
    private final AtomicLong wakeups = new AtomicLong();
    private volatile Thread engineThread;

    public TestTransportContext(int rank, int worldSize, long communicatorId, Configuration configuration) {
        this.rank = rank;
        this.worldSize = worldSize;
        this.communicatorId = communicatorId;
        this.configuration = configuration;
    }

    /** Makes {@link #wakeup()} unpark {@code thread}, the one now polling the transport. */
    public void driveFrom(Thread thread) {
        engineThread = thread;
    }

    /** How many times the transport called {@link #wakeup()}. */
    public long wakeups() {
        return wakeups.get();
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int worldSize() {
        return worldSize;
    }

    @Override
    public long communicatorId() {
        return communicatorId;
    }

    @Override
    public InetAddress advertiseAddress() {
        return InetAddress.getLoopbackAddress();
    }

    @Override
    public Configuration configuration() {
        return configuration;
    }

    @Override
    public void wakeup() {
        wakeups.incrementAndGet();
        Thread thread = engineThread;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }
}
