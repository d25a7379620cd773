package io.jccl.testkit.transport;

import io.jccl.spi.InboundFragment;
import io.jccl.spi.Tags;
import io.jccl.spi.TransportHandler;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link TransportHandler} that reassembles messages and records completions and failures,
 * checking the SPI contract on every fragment (native order, contiguous increasing offsets,
 * consistent tag/descriptor/length, one empty fragment for an empty message). Contract breaches
 * are collected in {@link #violations()} rather than thrown into the transport. With
 * {@link #retainFragments(boolean)} it keeps fragments past the callback and copies their bytes
 * only in {@link #copyAndReleaseRetained()}. Used by one thread at a time (the one polling).
 */
public final class RecordingHandler implements TransportHandler {
    private final Map<Long, Integer> completions = new HashMap<>();
    private final Map<MessageKey, Message> messages = new HashMap<>();
    private final List<Failure> failures = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final List<Retained> retained = new ArrayList<>();
    private int completedMessages;
    private boolean retainFragments;

    /** A message reassembled from its fragments. */
    public static final class Message {
        public final int peerRank;
        public final long tag;
        public final long descriptor;
        public final byte[] bytes;
        int nextOffsetBytes;
        int fragments;

        Message(int peerRank, long tag, long descriptor, int messageBytes) {
            this.peerRank = peerRank;
            this.tag = tag;
            this.descriptor = descriptor;
            this.bytes = new byte[messageBytes];
        }

        public boolean isComplete() {
            return fragments > 0 && nextOffsetBytes == bytes.length;
        }

        public int fragments() {
            return fragments;
        }
    }

    /** A reported failure. */
    public static final class Failure {
        public final int peerRank;
        public final Throwable cause;

        Failure(int peerRank, Throwable cause) {
            this.peerRank = peerRank;
            this.cause = cause;
        }

        @Override
        public String toString() {
            return "failure of rank " + peerRank + ": " + cause;
        }
    }

    private static final class MessageKey {
        final int peerRank;
        final long tag;

        MessageKey(int peerRank, long tag) {
            this.peerRank = peerRank;
            this.tag = tag;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MessageKey && ((MessageKey) o).peerRank == peerRank && ((MessageKey) o).tag == tag;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(tag) * 31 + peerRank;
        }
    }

    private static final class Retained {
        final Message message;
        final int offsetBytes;
        final InboundFragment fragment;

        Retained(Message message, int offsetBytes, InboundFragment fragment) {
            this.message = message;
            this.offsetBytes = offsetBytes;
            this.fragment = fragment;
        }
    }

    /** When true, every fragment is retained in the callback and read only later. */
    public void retainFragments(boolean retain) {
        this.retainFragments = retain;
    }

    @Override
    public void onSendComplete(long token) {
        completions.merge(token, 1, Integer::sum);
    }

    @Override
    public void onFragment(InboundFragment fragment) {
        ByteBuffer data = fragment.data();
        String where = "fragment of " + Tags.toString(fragment.tag()) + " from rank " + fragment.peerRank()
                + " at offset " + fragment.offsetBytes();
        if (data.order() != ByteOrder.nativeOrder()) {
            violations.add(where + ": data() is " + data.order() + ", not native order");
        }
        int fragmentBytes = data.remaining();
        MessageKey key = new MessageKey(fragment.peerRank(), fragment.tag());
        Message message = messages.get(key);
        if (message == null) {
            if (fragment.messageBytes() < 0) {
                violations.add(where + ": negative messageBytes " + fragment.messageBytes());
                return;
            }
            message = new Message(fragment.peerRank(), fragment.tag(), fragment.descriptor(), fragment.messageBytes());
            messages.put(key, message);
        }
        if (message.isComplete()) {
            violations.add(where + ": fragment after the message was complete");
            return;
        }
        if (fragment.descriptor() != message.descriptor || fragment.messageBytes() != message.bytes.length) {
            violations.add(where + ": descriptor/messageBytes changed within the message");
        }
        if (fragment.offsetBytes() != message.nextOffsetBytes) {
            violations.add(where + ": expected offset " + message.nextOffsetBytes);
            return;
        }
        if ((long) fragment.offsetBytes() + fragmentBytes > message.bytes.length) {
            violations.add(where + ": " + fragmentBytes + " bytes overrun the " + message.bytes.length + "-byte message");
            return;
        }
        if (fragmentBytes == 0 && message.bytes.length != 0) {
            violations.add(where + ": empty fragment in a non-empty message");
        }
        if (retainFragments) {
            retained.add(new Retained(message, fragment.offsetBytes(), fragment.retain()));
        } else {
            data.get(data.position(), message.bytes, fragment.offsetBytes(), fragmentBytes);
        }
        message.nextOffsetBytes += fragmentBytes;
        message.fragments++;
        if (message.isComplete()) {
            completedMessages++;
        }
    }

    @Override
    public void onFailure(int peerRank, Throwable cause) {
        failures.add(new Failure(peerRank, cause));
    }

    /** Copies the bytes of every retained fragment into its message, then releases it. */
    public void copyAndReleaseRetained() {
        for (Retained r : retained) {
            ByteBuffer data = r.fragment.data();
            data.get(data.position(), r.message.bytes, r.offsetBytes, data.remaining());
            r.fragment.release();
        }
        retained.clear();
    }

    public int retainedCount() {
        return retained.size();
    }

    /** How many times {@code token} was reported complete. */
    public int completions(long token) {
        return completions.getOrDefault(token, 0);
    }

    public Map<Long, Integer> allCompletions() {
        return completions;
    }

    public int completedMessages() {
        return completedMessages;
    }

    /** The message {@code tag} from {@code peerRank} if complete, else null. */
    public Message message(int peerRank, long tag) {
        Message m = messages.get(new MessageKey(peerRank, tag));
        return m != null && m.isComplete() ? m : null;
    }

    public List<Failure> failures() {
        return failures;
    }

    public boolean hasFailureOf(int peerRank) {
        return failures.stream().anyMatch(f -> f.peerRank == peerRank);
    }

    public List<String> violations() {
        return violations;
    }
}
