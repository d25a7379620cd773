package io.jccl.transport.tcp;

import io.jccl.config.Configuration;
import io.jccl.spi.Connection;
import io.jccl.spi.InboundFragment;
import io.jccl.spi.Placement;
import io.jccl.spi.Tags;
import io.jccl.spi.Transport;
import io.jccl.spi.TransportHandler;
import io.jccl.testkit.transport.TestTransportContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads straight into the destination ({@link TransportHandler#place}): the payload of a large
 * message must land in the region the handler names, byte for byte, reported as placed fragments;
 * the memory around the region must stay untouched; and a handler that declines gets ordinary
 * fragments.
 */
class TcpPlacementTest {
    private static final int GUARD_BYTES = 64;
    private static final byte CANARY = 0x5A;
    private static final long WAIT_S = 20;

    private final List<Transport> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(Transport::close);
    }

    /** A handler of a receiving transport: sends and back-pressure do not concern it. */
    private abstract static class ReceiveOnly implements TransportHandler {
        @Override
        public void onSendComplete(long token) {
        }

        @Override
        public void onWritable(int peerRank) {
        }
    }

    /** Receives one message, placing it when {@code placeInto} is set; copies ordinary fragments itself. */
    private static final class Receiver extends ReceiveOnly {
        final ByteBuffer placeInto;
        final byte[] received;
        final boolean[] wasPlaced;
        final CountDownLatch done = new CountDownLatch(1);
        volatile Throwable failure;
        int placedBytes;
        int copiedBytes;
        int placeCalls;

        Receiver(ByteBuffer placeInto, int messageBytes) {
            this.placeInto = placeInto;
            this.received = new byte[messageBytes];
            this.wasPlaced = new boolean[messageBytes];
        }

        @Override
        public boolean place(int peerRank, long tag, long descriptor, int messageBytes, int offsetBytes,
                             Placement out) {
            placeCalls++;
            if (placeInto == null) {
                return false;
            }
            out.set(placeInto, GUARD_BYTES + offsetBytes, messageBytes - offsetBytes);
            return true;
        }

        @Override
        public void onFragment(InboundFragment f) {
            ByteBuffer data = f.data();
            int len = data.remaining();
            if (f.placed()) {
                placedBytes += len;
                placeInto.get(GUARD_BYTES + f.offsetBytes(), received, f.offsetBytes(), len);
                java.util.Arrays.fill(wasPlaced, f.offsetBytes(), f.offsetBytes() + len, true);
            } else {
                copiedBytes += len;
                data.get(data.position(), received, f.offsetBytes(), len);
            }
            if (placedBytes + copiedBytes == f.messageBytes()) {
                done.countDown();
            }
        }


        @Override
        public void onFailure(int peerRank, Throwable cause) {
            failure = cause;
            done.countDown();
        }
    }

    private final List<Throwable> senderFailures = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The sender's handler: keeps failures, for the message of a failed wait. */
    private final TransportHandler sender = new TransportHandler() {
        @Override
        public void onSendComplete(long token) {
        }

        @Override
        public void onFragment(InboundFragment fragment) {
        }

        @Override
        public void onWritable(int peerRank) {
        }

        @Override
        public void onFailure(int peerRank, Throwable cause) {
            senderFailures.add(cause);
        }
    };

    private Transport open(int rank, TransportHandler handler, String flavour) {
        Configuration configuration = Configuration.resolve(Map.of(TcpOptions.NATIVE.property(), flavour),
                TcpOptions.all(), Map.of(), Map.of(), List.of());
        Transport t = new TcpTransportProvider().open(new TestTransportContext(rank, 2, 21, configuration), handler);
        open.add(t);
        return t;
    }

    /** Sends {@code payload} from rank 0 to rank 1, re-posting while the connection is being made. */
    private static void send(Transport from, Transport to, byte[] payload) throws Exception {
        ByteBuffer memory = ByteBuffer.allocateDirect(payload.length).put(payload).clear();
        CompletableFuture<Void> posted = new CompletableFuture<>();
        Runnable[] attempt = new Runnable[1];
        attempt[0] = () -> {
            try {
                Connection c = from.connect(1, to.localAddress());
                if (c.postSend(Tags.collective(1, 0, 0), 42, memory, 0, payload.length, 7)
                        == Connection.SendResult.BACK_PRESSURED) {
                    Thread.sleep(1);
                    from.loop().execute(attempt[0]);
                } else {
                    posted.complete(null);
                }
            } catch (Throwable e) {
                posted.completeExceptionally(e);
            }
        };
        from.loop().execute(attempt[0]);
        posted.get(WAIT_S, TimeUnit.SECONDS);
    }

    private void awaitArrival(Receiver receiver) throws InterruptedException {
        assertTrue(receiver.done.await(WAIT_S, TimeUnit.SECONDS), () -> "the message did not arrive: "
                + receiver.copiedBytes + " bytes copied, " + receiver.placedBytes + " placed, " + receiver.placeCalls
                + " placements asked; sender failures " + senderFailures + "; receiver failure " + receiver.failure);
    }

    private static byte[] payload(int bytes) {
        byte[] b = new byte[bytes];
        new SplittableRandom(bytes).nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @ValueSource(strings = {"EPOLL", "NIO"})
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldReadIntoTheRegionAndLeaveItsSurroundingsAloneWhenHandlerPlaces(String flavour) throws Exception {
        int bytes = 3 * 1024 * 1024 + 17;
        ByteBuffer destination = ByteBuffer.allocateDirect(GUARD_BYTES + bytes + GUARD_BYTES);
        for (int i = 0; i < destination.capacity(); i++) {
            destination.put(i, CANARY);
        }
        Receiver receiver = new Receiver(destination, bytes);
        Transport from = open(0, sender, flavour);
        Transport to = open(1, receiver, flavour);
        byte[] payload = payload(bytes);
        send(from, to, payload);

        awaitArrival(receiver);
        assertEquals(null, receiver.failure);
        assertArrayEquals(payload, receiver.received, "the message arrived damaged");
        assertTrue(receiver.placedBytes > 0, "nothing was read straight into the destination");
        // At most the first read (with the header) and a tail below the placement minimum come as copies.
        int mostCopied = TcpOptions.READ_BYTES.defaultValue() + FrameDecoder.PLACE_MIN_BYTES;
        assertTrue(receiver.placedBytes >= bytes - mostCopied,
                "only " + receiver.placedBytes + " of " + bytes + " bytes were placed");
        for (int i = 0; i < GUARD_BYTES; i++) {
            assertEquals(CANARY, destination.get(i), "byte " + i + " before the region was written");
            assertEquals(CANARY, destination.get(GUARD_BYTES + bytes + i), "byte " + i + " after the region was written");
        }
        for (int i = 0; i < bytes; i++) {
            byte expected = receiver.wasPlaced[i] ? payload[i] : CANARY; // bytes that came as fragments: untouched
            if (destination.get(GUARD_BYTES + i) != expected) {
                throw new AssertionError("destination byte " + i + (receiver.wasPlaced[i] ? " (placed)" : " (copied)")
                        + " is " + destination.get(GUARD_BYTES + i) + ", expected " + expected);
            }
        }
    }

    /**
     * A stream of large messages, all placed (the allgather half of a ring) or every other one
     * declined (a reducing lane sharing the socket): once a large message has been read, reads stop
     * at message boundaries, so every placeable payload goes straight to its destination instead of
     * partly into a read buffer that is then copied.
     */
    @ParameterizedTest
    @CsvSource({"EPOLL,false", "NIO,false", "EPOLL,true", "NIO,true"})
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldPlaceEveryPlaceablePayloadWholeWhenStreamingLargeMessages(String flavour, boolean declineOdd)
            throws Exception {
        int messages = 8;
        int bytes = 512 * 1024 + 5;
        ByteBuffer destination = ByteBuffer.allocateDirect(messages * bytes);
        int[] copied = new int[messages];
        int[] arrived = new int[messages];
        CountDownLatch done = new CountDownLatch(messages);
        Throwable[] failure = new Throwable[1];
        TransportHandler receiver = new ReceiveOnly() {
            @Override
            public boolean place(int peerRank, long tag, long descriptor, int messageBytes, int offsetBytes,
                                 Placement out) {
                if (declineOdd && Tags.index(tag) % 2 == 1) {
                    return false;
                }
                out.set(destination, Tags.index(tag) * bytes + offsetBytes, messageBytes - offsetBytes);
                return true;
            }

            @Override
            public void onFragment(InboundFragment f) {
                int m = Tags.index(f.tag());
                ByteBuffer data = f.data();
                int len = data.remaining();
                if (!f.placed()) {
                    copied[m] += len;
                    destination.put(m * bytes + f.offsetBytes(), data, data.position(), len);
                }
                arrived[m] += len;
                if (arrived[m] == bytes) {
                    done.countDown();
                }
            }


            @Override
            public void onFailure(int peerRank, Throwable cause) {
                failure[0] = cause;
                while (done.getCount() > 0) {
                    done.countDown();
                }
            }
        };
        Transport from = open(0, sender, flavour);
        Transport to = open(1, receiver, flavour);
        byte[] payload = payload(messages * bytes);
        ByteBuffer memory = ByteBuffer.allocateDirect(payload.length).put(payload).clear();
        CompletableFuture<Void> posted = new CompletableFuture<>();
        int[] next = new int[1];
        Runnable[] attempt = new Runnable[1];
        attempt[0] = () -> {
            try {
                Connection c = from.connect(1, to.localAddress());
                while (next[0] < messages) {
                    int m = next[0];
                    if (c.postSend(Tags.collective(1, 0, m), 42, memory, m * bytes, bytes, m)
                            == Connection.SendResult.BACK_PRESSURED) {
                        Thread.sleep(1);
                        from.loop().execute(attempt[0]);
                        return;
                    }
                    next[0]++;
                }
                posted.complete(null);
            } catch (Throwable e) {
                posted.completeExceptionally(e);
            }
        };
        from.loop().execute(attempt[0]);
        posted.get(WAIT_S, TimeUnit.SECONDS);

        assertTrue(done.await(WAIT_S, TimeUnit.SECONDS), () -> "not every message arrived: " + java.util.Arrays
                .toString(arrived) + "; sender failures " + senderFailures + "; receiver failure " + failure[0]);
        assertEquals(null, failure[0]);
        byte[] received = new byte[payload.length];
        destination.get(0, received);
        assertArrayEquals(payload, received, "the messages arrived damaged");
        // The first read is unbounded (no header seen yet) and may hold parts of messages 0 and 1;
        // after it, a placeable payload has at most a header's worth copied (a header split across reads).
        for (int m = 2; m < messages; m++) {
            int index = m;
            boolean placeable = !declineOdd || m % 2 == 0;
            assertTrue(placeable ? copied[m] <= FrameDecoder.HEADER_BYTES : copied[m] == bytes, () -> "message "
                    + index + " had " + copied[index] + " bytes copied: " + java.util.Arrays.toString(copied));
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldDeliverOrdinaryFragmentsWhenHandlerDeclines() throws Exception {
        int bytes = 2 * 1024 * 1024;
        Receiver receiver = new Receiver(null, bytes);
        Transport from = open(0, sender, "AUTO");
        Transport to = open(1, receiver, "AUTO");
        byte[] payload = payload(bytes);
        send(from, to, payload);

        awaitArrival(receiver);
        assertEquals(null, receiver.failure);
        assertArrayEquals(payload, receiver.received);
        assertEquals(0, receiver.placedBytes);
        assertTrue(receiver.placeCalls > 0, "the transport never asked for a placement");
    }
}
