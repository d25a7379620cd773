package io.jccl.transport.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loop whose thread changes hands: who runs what, when, and how it ends; with epoll and NIO. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DrivenEventLoopTest {
    private static final long WAIT_S = 20;
    private DrivenProgressLoop progress;
    private DrivenEventLoop loop;

    private void start(IoFlavour flavour) {
        progress = DrivenProgressLoop.start(flavour, "jccl-test-driven");
        loop = (DrivenEventLoop) progress.eventLoop();
    }

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10_000);
        }
    }

    @ParameterizedTest
    @EnumSource(IoFlavour.class)
    void shouldRunTasksOnItsOwnThreadWhenNobodyDrivesIt(IoFlavour flavour) throws Exception {
        start(flavour);
        CompletableFuture<String> ranOn = new CompletableFuture<>();
        loop.execute(() -> ranOn.complete(Thread.currentThread().getName() + " " + loop.inEventLoop()));
        assertEquals("jccl-test-driven true", ranOn.get(WAIT_S, TimeUnit.SECONDS));
        assertFalse(loop.inEventLoop(), "the test thread is not the loop's");
    }

    @ParameterizedTest
    @EnumSource(IoFlavour.class)
    void shouldRunEverythingOnTheCallerWhileItDrivesAndRefuseASecondDriver(IoFlavour flavour) throws Exception {
        start(flavour);
        assertTrue(enterSoon(), "an idle loop refused to be entered");
        try {
            assertTrue(loop.inEventLoop() && progress.inLoop());
            CompletableFuture<Boolean> otherEntered = CompletableFuture.supplyAsync(progress::tryEnter);
            assertFalse(otherEntered.get(WAIT_S, TimeUnit.SECONDS), "a second thread entered a held loop");
            // A task from another thread runs here, on the driving thread, while it drives.
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            Thread submitter = new Thread(() -> loop.execute(() -> ranOn.set(Thread.currentThread())));
            submitter.start();
            submitter.join(WAIT_S * 1000);
            progress.driveUntil(() -> ranOn.get() != null, System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S));
            assertSame(Thread.currentThread(), ranOn.get());
        } finally {
            progress.leave();
        }
        assertFalse(loop.inEventLoop(), "still the loop's thread after leave()");
        CompletableFuture<String> after = new CompletableFuture<>();
        loop.execute(() -> after.complete(Thread.currentThread().getName()));
        assertEquals("jccl-test-driven", after.get(WAIT_S, TimeUnit.SECONDS), "the own thread took over again");
    }

    @ParameterizedTest
    @EnumSource(IoFlavour.class)
    void shouldReturnFromDrivingAtTheDeadlineWhenNothingHappens(IoFlavour flavour) {
        start(flavour);
        assertTrue(enterSoon());
        try {
            long startNs = System.nanoTime();
            progress.driveUntil(() -> false, startNs + TimeUnit.MILLISECONDS.toNanos(200));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            assertTrue(tookMs >= 199 && tookMs < 5_000, "drove for " + tookMs + " ms, expected 200");
        } finally {
            progress.leave();
        }
    }

    @ParameterizedTest
    @EnumSource(IoFlavour.class)
    void shouldFireTimersBothWhenIdleAndWhileDriven(IoFlavour flavour) throws Exception {
        start(flavour);
        CountDownLatch idleTimer = new CountDownLatch(1);
        loop.schedule(idleTimer::countDown, 30, TimeUnit.MILLISECONDS);
        assertTrue(idleTimer.await(WAIT_S, TimeUnit.SECONDS), "a timer of an idle loop never fired");
        assertTrue(enterSoon());
        try {
            // Scheduled by the holder itself, then by another thread; the loop caches when its next
            // timer is due, so each must fire about on time, not only at the next idle wake-up (1 s).
            for (boolean fromOtherThread : new boolean[] {false, true}) {
                AtomicBoolean fired = new AtomicBoolean();
                long startNs = System.nanoTime();
                if (fromOtherThread) {
                    Thread other = new Thread(() -> loop.schedule(() -> fired.set(true), 30, TimeUnit.MILLISECONDS));
                    other.start();
                    other.join();
                } else {
                    loop.schedule(() -> fired.set(true), 30, TimeUnit.MILLISECONDS);
                }
                progress.driveUntil(fired::get, System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S));
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
                assertTrue(fired.get(), "a timer did not fire while the caller drove (other thread: " + fromOtherThread + ")");
                assertTrue(tookMs < 900, "a 30 ms timer fired after " + tookMs + " ms (other thread: " + fromOtherThread + ")");
            }
        } finally {
            progress.leave();
        }
    }

    @ParameterizedTest
    @EnumSource(IoFlavour.class)
    void shouldMoveSocketDataWhetherItsOwnThreadOrACallerRunsIt(IoFlavour flavour) throws Exception {
        start(flavour);
        // What the server has read so far, and the thread that read the last of it.
        StringBuffer text = new StringBuffer();
        AtomicReference<String> readOn = new AtomicReference<>();
        Channel server = new ServerBootstrap().group(loop).channel(flavour.serverChannel())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ByteBuf b = (ByteBuf) msg;
                                text.append(b.toString(StandardCharsets.US_ASCII));
                                b.release();
                                readOn.set(Thread.currentThread().getName());
                            }
                        });
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        Channel client = new Bootstrap().group(loop).channel(flavour.socketChannel())
                .handler(new ChannelInboundHandlerAdapter())
                .connect(server.localAddress()).sync().channel();
        try {
            // Nobody drives and nothing is in flight: the own thread's periodic pass still reads it.
            client.writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII)).sync();
            long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            while (text.length() < 5 && System.nanoTime() < deadlineNs) {
                Thread.sleep(5);
            }
            assertEquals("hello", text.toString());
            assertEquals("jccl-test-driven", readOn.get());

            assertTrue(enterSoon());
            try {
                client.writeAndFlush(Unpooled.copiedBuffer("world", StandardCharsets.US_ASCII));
                progress.driveUntil(() -> text.length() >= 10, System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S));
                assertEquals("helloworld", text.toString());
                assertEquals(Thread.currentThread().getName(), readOn.get(), "read on another thread than the driver");
            } finally {
                progress.leave();
            }
        } finally {
            client.close().awaitUninterruptibly(WAIT_S * 1000);
            server.close().awaitUninterruptibly(WAIT_S * 1000);
        }
    }

    @ParameterizedTest
    @EnumSource(IoFlavour.class)
    void shouldTerminateStopItsThreadAndRejectLaterTasks(IoFlavour flavour) throws Exception {
        start(flavour);
        CountDownLatch ran = new CountDownLatch(1);
        loop.execute(ran::countDown);
        assertTrue(ran.await(WAIT_S, TimeUnit.SECONDS));
        assertTrue(loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(WAIT_S, TimeUnit.SECONDS),
                "the loop did not terminate");
        assertTrue(loop.isTerminated());
        assertFalse(progress.tryEnter(), "a terminated loop let a caller in");
        assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> { }));
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertFalse(t.getName().equals("jccl-test-driven") && t.isAlive() && waitForEnd(t),
                    "the loop's thread is still running");
        }
    }

    private static boolean waitForEnd(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return t.isAlive();
    }

    /** Enters, waiting out a short pass of the loop's own thread (it runs its first timers and tasks). */
    private boolean enterSoon() {
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (System.nanoTime() < deadlineNs) {
            if (progress.tryEnter()) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }
}
