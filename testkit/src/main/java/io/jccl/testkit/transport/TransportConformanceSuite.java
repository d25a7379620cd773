package io.jccl.testkit.transport;

import io.jccl.spi.ProgressLoop;
import io.jccl.spi.Tags;
import io.jccl.spi.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every transport must do, checked against N endpoints opened in this JVM (the pattern of
 * Netty's testsuite): subclass it, name the provider in {@link #transportName()}, optionally add
 * {@link #options()}. Each endpoint delivers its events on its own loop to a
 * {@link RecordingHandler}, which checks the SPI contract on every event; sends are posted on that
 * loop by {@link TransportNode} the way the engine posts them, and the test thread waits for events
 * through {@link TransportDriver}, never polling. Payloads are pseudo-random bytes from
 * {@link TestPayloads}; the reference is regenerated from the seed.
 */
public abstract class TransportConformanceSuite extends TransportSuiteBase {
    private static final int LARGE_MESSAGE_BYTES = (16 << 20) + 3;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldDeliverIntactMessagesWhenSizesAreSmallOrOdd() {
        List<TransportNode> nodes = open(2);
        int[] sizes = {1, 2, 3, 7, 8, 13, 255, 1000, 4095, 4097, 65535, 65537, 1_000_003};
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            long tag = i % 2 == 0 ? Tags.pointToPoint(i) : Tags.collective(i, i % 7, i);
            sent.add(send(nodes.get(0), nodes.get(1), tag, descriptorOf(i), TestPayloads.bytes(i, sizes[i]), 5 + i, 100 + i));
        }
        awaitAndVerify(sent);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldDeliverExactlyOneEmptyFragmentWhenMessageIsZeroLength() {
        List<TransportNode> nodes = open(2);
        TransportNode a = nodes.get(0);
        TransportNode b = nodes.get(1);
        ByteBuffer eight = ByteBuffer.allocateDirect(8);
        a.send(b, Tags.collective(1, 0, 0), 11, ByteBuffer.allocateDirect(0), 0, 0, 1);
        a.send(b, Tags.collective(1, 0, 1), 12, eight, 8, 0, 2); // an empty range at the very end
        a.send(b, Tags.collective(1, 0, 2), 13, eight, 3, 0, 3);
        // A last non-empty message on the same lane: once it is in, a stray extra fragment would be too.
        awaitAndVerify(List.of(send(a, b, Tags.collective(1, 0, 3), 14, TestPayloads.bytes(4, 1), 0, 4)));
        driver.awaitUntil(() -> a.isSendDone(1) && a.isSendDone(2) && a.isSendDone(3), WAIT_MS,
                () -> "the empty sends to be done");
        for (int index = 0; index < 3; index++) {
            RecordingHandler.Message m = b.handler.message(0, Tags.collective(1, 0, index));
            assertNotNull(m, "empty message " + index + " did not arrive");
            assertEquals(0, m.bytes.length);
            assertEquals(11 + index, m.descriptor);
            assertEquals(1, m.fragments(), "an empty message is exactly one empty fragment");
        }
        driver.pauseFor(50);
        assertEquals(List.of(), driver.violations());
        assertEquals(Map.of(1L, 1, 2L, 1, 3L, 1, 4L, 1), a.handler.allCompletions());
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldDeliverContiguousFragmentsWhenMessageIsLargerThanAnyFrame() {
        List<TransportNode> nodes = open(2);
        awaitAndVerify(List.of(
                send(nodes.get(0), nodes.get(1), Tags.collective(7, 1, 0), descriptorOf(1),
                        TestPayloads.bytes(71, LARGE_MESSAGE_BYTES), 7, 1),
                send(nodes.get(1), nodes.get(0), Tags.collective(7, 1, 1), descriptorOf(2),
                        TestPayloads.bytes(72, LARGE_MESSAGE_BYTES), 3, 2)));
    }

    /** Every rank sends {@code messagesPerPeer} messages to every other, each from a thread of its own. */
    private List<Sent> sendAllToAll(List<TransportNode> nodes, int messagesPerPeer, int[] sizes) throws InterruptedException {
        List<Sent> sent = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        for (TransportNode from : nodes) {
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < messagesPerPeer; i++) {
                        for (TransportNode to : nodes) {
                            if (to != from) {
                                int size = sizes[(i * 7 + from.rank + to.rank) % sizes.length];
                                synchronized (sent) {
                                    sent.add(send(from, to, Tags.collective(i, i % 8, to.rank),
                                            descriptorOf(from.rank * 1000 + i), TestPayloads.bytes(seed(from.rank, to.rank, i), size),
                                            i % 5, to.rank * 1000L + i));
                                }
                            }
                        }
                    }
                } catch (Throwable t) {
                    error.compareAndSet(null, t);
                }
            }, "conformance-sender-" + from.rank);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(WAIT_MS);
            assertFalse(thread.isAlive(), thread.getName() + " did not finish handing over its sends");
        }
        if (error.get() != null) {
            throw new AssertionError("a sender failed", error.get());
        }
        synchronized (sent) {
            return new ArrayList<>(sent);
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldDeliverEveryMessageWhenSeveralPeersSendConcurrently() throws InterruptedException {
        List<TransportNode> nodes = open(4);
        List<Sent> sent = sendAllToAll(nodes, 30, new int[] {0, 1, 3, 64, 1000, 4097, 65536, 200_003});
        assertEquals(4 * 3 * 30, sent.size());
        awaitAndVerify(sent);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldDeliverEventsOnLoopThreadOnlyWhenSeveralPeersSendConcurrently() throws InterruptedException {
        List<TransportNode> nodes = open(4);
        List<Sent> sent = sendAllToAll(nodes, 20, new int[] {0, 5, 700, 9000, 70_001});
        awaitAndVerify(sent);
        for (TransportNode node : nodes) {
            Thread loopThread = node.loopThread();
            assertEquals(Set.of(loopThread), node.handler.deliveringThreads(),
                    "rank " + node.rank + " got events on other threads than its loop's");
            assertFalse(node.loop().inLoop(), "inLoop() is true on the test thread");
            assertSame(node.loop(), node.transport.loop(), "loop() changed");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldReportEachCompletionExactlyOnceWhenManyMessagesArePosted() {
        List<TransportNode> nodes = open(2);
        TransportNode a = nodes.get(0);
        TransportNode b = nodes.get(1);
        int count = 500;
        int sizeBytes = 64;
        byte[] all = TestPayloads.bytes(5, count * sizeBytes);
        ByteBuffer memory = TestPayloads.directWithGuards(all, 0);
        for (int i = 0; i < count; i++) {
            a.send(b, Tags.collective(i, i % 3, 0), i, memory, i * sizeBytes, sizeBytes, 17 + 3L * i);
        }
        driver.awaitUntil(() -> a.unfinishedSends() == 0 && b.handler.completedMessages() == count, WAIT_MS,
                () -> a.unfinishedSends() + " sends not done, " + b.handler.completedMessages() + " of " + count + " messages");
        driver.pauseFor(100); // late duplicates
        for (int i = 0; i < count; i++) {
            assertEquals(1, a.handler.completions(17 + 3L * i), "completions of token " + (17 + 3L * i));
            RecordingHandler.Message m = b.handler.message(0, Tags.collective(i, i % 3, 0));
            assertArrayEquals(Arrays.copyOfRange(all, i * sizeBytes, (i + 1) * sizeBytes), m.bytes, "message " + i);
        }
        assertEquals(count, a.handler.allCompletions().size(), "tokens that were never posted completed");
        assertEquals(List.of(), driver.violations());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldDeliverOriginalBytesWhenSenderReusesMemoryAsSoonAsItIsFree() {
        List<TransportNode> nodes = open(2);
        TransportNode a = nodes.get(0);
        TransportNode b = nodes.get(1);
        // A COMPLETE result frees the memory within postSend, an IN_FLIGHT one at onSendComplete:
        // either way the node overwrites it on the loop at once, before anything else runs there.
        a.scribbleWhenFree(true);
        b.scribbleWhenFree(true);
        int[] sizes = {0, 1, 8, 100, 1000, 4097, 65_537, 1_000_003};
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            sent.add(send(a, b, Tags.collective(4, i % 2, i), descriptorOf(i), TestPayloads.bytes(40 + i, sizes[i]), 2, i));
            sent.add(send(b, a, Tags.collective(4, i % 2, i), descriptorOf(i), TestPayloads.bytes(60 + i, sizes[i]), 1, i));
        }
        awaitAndVerify(sent);
        for (Sent s : sent) {
            byte[] reused = new byte[s.payload.length];
            Arrays.fill(reused, (byte) 0x5A);
            byte[] now = new byte[s.payload.length];
            s.memory.get(s.offsetBytes, now);
            assertArrayEquals(reused, now, () -> "the node did not reuse the memory of " + s);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldKeepRetainedFragmentsValidUntilReleaseWhenLaterTrafficArrives() {
        List<TransportNode> nodes = open(2);
        TransportNode a = nodes.get(0);
        TransportNode b = nodes.get(1);
        b.handler.retainFragments(true);
        int[] sizes = {100, 70_001, (2 << 20) + 1};
        List<Sent> retained = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            retained.add(send(a, b, Tags.collective(9, 0, i), i, TestPayloads.bytes(900 + i, sizes[i]), 1, i));
        }
        // The sender's sends are done although the receiver keeps every fragment unreleased.
        awaitDelivery(retained);
        int retainedCount = b.handler.retainedCount();
        assertTrue(retainedCount >= sizes.length, "retained fragments: " + retainedCount);
        b.runOnLoop("reading retained fragments after their callbacks", b.handler::copyRetained);
        verify(retained);
        // The sender reuses its memory, and more traffic arrives (not retained), so a transport
        // recycling its buffers too early would overwrite the retained ones.
        for (Sent s : retained) {
            TestPayloads.fill(s.memory, s.offsetBytes, s.payload.length, (byte) 0x5A);
            Arrays.fill(b.handler.message(0, s.tag).bytes, (byte) 0);
        }
        b.handler.retainFragments(false);
        List<Sent> churn = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < sizes.length; i++) {
                churn.add(send(a, b, Tags.collective(10 + round, 0, i), i, TestPayloads.bytes(950 + i + 10 * round, sizes[i]),
                        0, 10 + 10 * round + i));
            }
        }
        awaitAndVerify(churn);
        assertEquals(retainedCount, b.handler.retainedCount());
        b.runOnLoop("reading and releasing retained fragments", b.handler::copyAndReleaseRetained);
        assertEquals(0, b.handler.retainedCount());
        for (Sent s : retained) {
            assertArrayEquals(s.payload, b.handler.message(0, s.tag).bytes,
                    "retained " + s + " changed after the sender reused its memory and later traffic arrived");
        }
        assertEquals(List.of(), driver.violations());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldReportWritableWhenSendIsBackPressuredBeforeConnectionIsEstablished() {
        List<TransportNode> nodes = open(3);
        // Each send below reaches its node's loop first, so connect() and the first postSend run in
        // one loop task, before any connection could be established.
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sent.add(send(nodes.get(0), nodes.get(1), Tags.collective(2, i, 0), descriptorOf(i),
                    TestPayloads.bytes(20 + i, 10 + 30_000 * i), i, i));
            sent.add(send(nodes.get(2), nodes.get(0), Tags.collective(2, i, 0), descriptorOf(i),
                    TestPayloads.bytes(30 + i, 20 + 30_000 * i), i, i));
        }
        awaitAndVerify(sent);
        assertWritableFollowedBackPressure(nodes);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldReportWritableAndDeliverEverythingWhenSendsOutpaceTheNetwork() {
        List<TransportNode> nodes = open(2);
        int count = 16;
        int sizeBytes = (1 << 20) + 1;
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            for (int from = 0; from < 2; from++) {
                sent.add(send(nodes.get(from), nodes.get(1 - from), Tags.collective(i, i % 4, from), descriptorOf(i),
                        TestPayloads.bytes(seed(from, 1 - from, i), sizeBytes), i % 3, i));
            }
        }
        awaitAndVerify(sent);
        assertWritableFollowedBackPressure(nodes);
    }

    private static void assertWritableFollowedBackPressure(List<TransportNode> nodes) {
        for (TransportNode node : nodes) {
            if (node.handler.backPressuredResults() > 0) {
                int writable = nodes.stream().mapToInt(peer -> node.handler.writableEvents(peer.rank)).sum();
                assertTrue(writable > 0, "rank " + node.rank + " was back-pressured without onWritable");
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldReportFailureNamingRankWhenPeerCloses() {
        List<TransportNode> nodes = open(3);
        TransportNode a = nodes.get(0);
        // a sends to rank 1 and receives from rank 2: both directions of losing a peer.
        awaitAndVerify(List.of(send(a, nodes.get(1), Tags.pointToPoint(1), 1, new byte[10], 0, 1),
                send(nodes.get(2), a, Tags.pointToPoint(2), 2, new byte[10], 0, 2)));
        for (int peer = 1; peer <= 2; peer++) {
            nodes.get(peer).close();
            awaitFailure(a, peer, "rank 0 to notice that rank " + peer + " closed");
        }
        assertTrue(a.handler.failures().stream().allMatch(f -> f.peerRank == 1 || f.peerRank == 2),
                () -> "failures of ranks that did not fail: " + a.handler.failures());
        assertDroppedAfterFailure(a, nodes.get(1), 10);
    }

    /** A send to a peer whose failure was reported is dropped and reported COMPLETE by postSend. */
    private void assertDroppedAfterFailure(TransportNode from, TransportNode failed, long token) {
        from.send(failed, Tags.pointToPoint(99), 0, ByteBuffer.allocateDirect(16), 0, 16, token);
        driver.awaitUntil(() -> from.isSendDone(token), WAIT_MS, () -> "a send to the failed rank " + failed.rank + " to be dropped");
        assertEquals(TransportNode.SendState.COPIED, from.sendState(token),
                "a send to a failed peer must be dropped and reported COMPLETE");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldReportFailureNamingRankWhenConnectingToClosedPeer() {
        List<TransportNode> nodes = open(2);
        TransportNode a = nodes.get(0);
        nodes.get(1).close();
        a.send(nodes.get(1), Tags.pointToPoint(0), 0, ByteBuffer.allocateDirect(4), 0, 4, 0);
        awaitFailure(a, 1, "a failure for the closed rank 1");
        assertDroppedAfterFailure(a, nodes.get(1), 1);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldReportFailureNamingRankWhenPeerBelongsToAnotherCommunicator() {
        TransportNode ours = open(0, 2, 0xAAAAL, options());
        TransportNode theirs = open(1, 2, 0xBBBBL, options());
        ours.send(theirs, Tags.pointToPoint(0), 0, ByteBuffer.allocateDirect(1), 0, 1, 0);
        awaitFailure(ours, 1, "rank 0 to refuse rank 1 of another communicator");
        driver.pauseFor(100);
        assertEquals(0, theirs.handler.completedMessages(), "a message crossed from another communicator");
        assertTrue(theirs.handler.failures().stream().allMatch(f -> f.peerRank == -1 || f.peerRank == 0),
                () -> "the refused side reported failures of uninvolved ranks: " + theirs.handler.failures());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldNotReportOwnConnectionsOrDeliverEventsWhenClosing() {
        List<TransportNode> nodes = open(2);
        TransportNode a = nodes.get(0);
        TransportNode b = nodes.get(1);
        awaitAndVerify(List.of(send(a, b, Tags.pointToPoint(1), 1, new byte[100], 0, 1),
                send(b, a, Tags.pointToPoint(2), 2, new byte[100], 0, 2)));
        a.close();
        int eventsAtClose = a.handler.events();
        awaitFailure(b, 0, "rank 1 to notice that rank 0 closed");
        driver.pauseFor(200);
        assertEquals(eventsAtClose, a.handler.events(), "a closed transport still delivered events");
        assertEquals(List.of(), a.handler.failures().stream().map(Object::toString).collect(Collectors.toList()),
                "closing reported its own connections as failed");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldDeliverMessagesOnEveryLaneWhenTagsUseManyLanes() {
        List<TransportNode> nodes = open(2);
        int[] lanes = {0, 1, 2, 3, 4, 5, 6, 7, 100, 255};
        List<Sent> sent = new ArrayList<>();
        for (int lane : lanes) {
            for (int index = 0; index < 3; index++) {
                int size = 1 + lane * 37 + index * 1001;
                sent.add(send(nodes.get(index % 2), nodes.get(1 - index % 2), Tags.collective(3, lane, index),
                        descriptorOf(lane), TestPayloads.bytes(lane * 10L + index, size), index, lane * 10L + index));
            }
        }
        awaitAndVerify(sent);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRunTasksInOrderOnLoopWhenSeveralThreadsExecute() throws Exception {
        ProgressLoop loop = open(1).get(0).loop();
        int submitters = 3;
        int tasksEach = 2_000;
        List<List<Integer>> seen = new ArrayList<>(); // written on the loop only
        AtomicInteger offLoop = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(submitters);
        for (int s = 0; s < submitters; s++) {
            List<Integer> mine = new ArrayList<>();
            seen.add(mine);
            Thread thread = new Thread(() -> {
                for (int i = 0; i < tasksEach; i++) {
                    int index = i;
                    loop.execute(() -> {
                        if (!loop.inLoop()) {
                            offLoop.incrementAndGet();
                        }
                        mine.add(index);
                    });
                }
                loop.execute(done::countDown);
            }, "conformance-submitter-" + s);
            thread.setDaemon(true);
            thread.start();
        }
        assertTrue(done.await(WAIT_MS, TimeUnit.MILLISECONDS), "timed out waiting for the loop to run the tasks");
        assertEquals(0, offLoop.get(), "tasks that ran where inLoop() is false");
        assertFalse(loop.inLoop(), "inLoop() is true on the test thread");
        CompletableFuture<List<List<Integer>>> copy = new CompletableFuture<>();
        loop.execute(() -> copy.complete(seen.stream().map(ArrayList::new).collect(Collectors.toList())));
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < tasksEach; i++) {
            expected.add(i);
        }
        for (List<Integer> order : copy.get(WAIT_MS, TimeUnit.MILLISECONDS)) {
            assertEquals(expected, order, "tasks of one submitter ran out of order");
        }
        // execute() from the loop queues behind the running task instead of running inline.
        AtomicBoolean outerFinished = new AtomicBoolean();
        CompletableFuture<Boolean> innerSawOuterFinished = new CompletableFuture<>();
        loop.execute(() -> {
            loop.execute(() -> innerSawOuterFinished.complete(outerFinished.get()));
            outerFinished.set(true);
        });
        assertTrue(innerSawOuterFinished.get(WAIT_MS, TimeUnit.MILLISECONDS), "execute() ran a task inline");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRunPeriodicTaskRepeatedlyOnLoopWhenEveryIsRegistered() throws Exception {
        ProgressLoop loop = open(1).get(0).loop();
        long periodNs = TimeUnit.MILLISECONDS.toNanos(10);
        int runs = 5;
        List<Long> timesNs = new ArrayList<>(); // written on the loop only, until the latch opens
        AtomicInteger offLoop = new AtomicInteger();
        CountDownLatch enough = new CountDownLatch(runs);
        loop.every(periodNs, () -> {
            if (!loop.inLoop()) {
                offLoop.incrementAndGet();
            }
            if (enough.getCount() > 0) {
                timesNs.add(System.nanoTime());
                enough.countDown();
            }
        });
        assertTrue(enough.await(WAIT_MS, TimeUnit.MILLISECONDS), "timed out waiting for " + runs + " periodic runs");
        assertEquals(0, offLoop.get(), "periodic runs where inLoop() is false");
        CompletableFuture<List<Long>> copy = new CompletableFuture<>();
        loop.execute(() -> copy.complete(new ArrayList<>(timesNs)));
        List<Long> times = copy.get(WAIT_MS, TimeUnit.MILLISECONDS);
        for (int i = 1; i < runs; i++) {
            long gapNs = times.get(i) - times.get(i - 1);
            // 'About every period, a few ms precision': half a period catches a task run on every pass.
            assertTrue(gapNs >= periodNs / 2, "gap of " + gapNs + " ns between periodic runs " + (i - 1) + " and " + i);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldBeIdempotentAndLeaveNoThreadsWhenClosed() throws InterruptedException {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        List<TransportNode> nodes = open(2);
        awaitAndVerify(List.of(send(nodes.get(0), nodes.get(1), Tags.pointToPoint(1), 1, new byte[1000], 0, 1),
                send(nodes.get(1), nodes.get(0), Tags.pointToPoint(2), 2, new byte[1000], 0, 2)));
        long startNs = System.nanoTime();
        for (TransportNode node : nodes) {
            Transport transport = node.transport;
            transport.close();
            transport.close();
            node.handler.closed();
        }
        long closeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        assertTrue(closeMs < 10_000, "close took " + closeMs + " ms");
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && !before.contains(t) && isTransportThread(t))
                    .map(Thread::getName).collect(Collectors.toList());
            if (!left.isEmpty()) {
                Thread.sleep(20);
            }
        } while (!left.isEmpty() && System.nanoTime() < deadlineNs);
        assertEquals(List.of(), left, "threads left behind after close");
    }

    /**
     * Whether {@code thread}, started during the test, belongs to the transport. By default every
     * new thread does; override to exclude process-wide threads a library starts once (and keeps).
     */
    protected boolean isTransportThread(Thread thread) {
        return true;
    }
}
