package io.jccl.transport.tcp;

import io.jccl.spi.ProgressLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;

import java.util.function.BooleanSupplier;

/**
 * A {@link DrivenEventLoop} as the engine's {@link ProgressLoop}: callers of blocking collectives
 * drive it. Needs Netty 4.2: check {@link IoFlavour#drivenLoopAvailable()} before touching this class
 * (with Netty 4.1 it does not link).
 * Thread-safe.
 */
final class DrivenProgressLoop implements ProgressLoop {
    private final DrivenEventLoop loop;

    private DrivenProgressLoop(DrivenEventLoop loop) {
        this.loop = loop;
    }

    /** Starts a driven loop for {@code flavour}, whose background thread is named {@code threadName}. */
    static DrivenProgressLoop start(IoFlavour flavour, String threadName) {
        IoHandlerFactory factory = flavour == IoFlavour.EPOLL ? EpollFactory.create() : NioIoHandler.newFactory();
        return new DrivenProgressLoop(new DrivenEventLoop(factory, threadName));
    }

    /** The Netty side of this loop: register the sockets with it, and shut it down to stop. */
    EventLoop eventLoop() {
        return loop;
    }

    @Override
    public boolean inLoop() {
        return loop.inEventLoop();
    }

    @Override
    public void execute(Runnable task) {
        NettyProgressLoop.execute(loop, task);
    }

    @Override
    public void every(long periodNs, Runnable task) {
        NettyProgressLoop.every(loop, periodNs, task);
    }

    @Override
    public void pollUntil(long deadlineNs) {
        loop.pollUntil(deadlineNs);
    }

    @Override
    public boolean tryEnter() {
        return loop.tryEnter();
    }

    @Override
    public void driveUntil(BooleanSupplier done, long deadlineNs) {
        loop.driveUntil(done, deadlineNs);
    }

    @Override
    public void leave() {
        loop.leave();
    }

    @Override
    public void keepRunning(boolean inFlight) {
        loop.keepRunning(inFlight);
    }

    @Override
    public String toString() {
        return "DrivenProgressLoop[" + loop + "]";
    }

    /** Loaded only when epoll is in use, so a class path without the epoll jar still runs NIO. */
    private static final class EpollFactory {
        static IoHandlerFactory create() {
            return EpollIoHandler.newFactory();
        }
    }
}
