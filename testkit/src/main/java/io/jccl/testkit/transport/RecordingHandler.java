package io.jccl.testkit.transport;

import io.jccl.spi.Connection.SendResult;
import io.jccl.spi.InboundFragment;
import io.jccl.spi.ProgressLoop;
import io.jccl.spi.Tags;
import io.jccl.spi.TransportHandler;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link TransportHandler} that reassembles messages and records completions, writability and
 * failures, checking the SPI contract on every event: the event arrives on the transport's loop
 * thread (once {@link #bind} named it), not after {@code close()} returned, and not from inside
 * another callback or a call into the transport, except {@code onSendComplete} from inside
 * {@code postSend}; fragments are in native order with contiguous increasing offsets, a
 * consistent header and one empty fragment for an empty message; a send is reported complete
 * exactly once, either by a {@link SendResult#COMPLETE} result or by one {@code onSendComplete}.
 * Breaches are collected in {@link #violations()} rather than thrown into the transport.
 *
 * <p>With {@link #retainFragments(boolean)} it keeps fragments past the callback and copies their
 * bytes only in {@link #copyRetained()} / {@link #copyAndReleaseRetained()}.
 *
 * <p>Threading: events come on the loop thread; every method is synchronized, so the test thread
 * may read at any time. After recording an event it calls the optional downstream handler (the
 * {@link TransportNode}'s sending side) and then the listener, both outside its lock.
 */
public final class RecordingHandler implements TransportHandler {
    private final Runnable listener;
    private final TransportHandler downstream;
    private volatile ProgressLoop loop;
    private final List<Thread> threadsBeforeBind = new ArrayList<>();
    private final Set<Thread> deliveringThreads = new LinkedHashSet<>();

    private final Map<Long, Integer> completions = new HashMap<>();
    private final Set<Long> postedInFlight = new HashSet<>();
    private final Set<Long> copiedSends = new HashSet<>();
    /** Tokens inside postSend, mapped to whether their completion arrived re-entrantly. */
    private final Map<Long, Boolean> posting = new HashMap<>();
    private final Map<Integer, Integer> writable = new HashMap<>();
    private final Map<MessageKey, Message> messages = new HashMap<>();
    private final List<Failure> failures = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final List<Retained> retained = new ArrayList<>();
    private int completedMessages;
    private int events;
    private int backPressuredResults;
    private int callbackDepth;
    private int postSendDepth;
    private int connectDepth;
    private boolean retainFragments;
    private boolean tracksPosts;
    private boolean closed;

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
        final int lengthBytes;
        final InboundFragment fragment;

        Retained(Message message, int offsetBytes, int lengthBytes, InboundFragment fragment) {
            this.message = message;
            this.offsetBytes = offsetBytes;
            this.lengthBytes = lengthBytes;
            this.fragment = fragment;
        }
    }

    /** A handler on its own: no loop check until {@link #bind}, no downstream, no listener. */
    public RecordingHandler() {
        this(() -> { }, null);
    }

    /**
     * @param listener   told after every event (to wake a waiting test thread); any thread
     * @param downstream told of every event after it is recorded, or null
     */
    public RecordingHandler(Runnable listener, TransportHandler downstream) {
        this.listener = listener;
        this.downstream = downstream;
    }

    /**
     * Names the loop events must arrive on. Events that came before are checked on the loop itself,
     * since a transport may deliver as soon as {@code open} returns.
     */
    public void bind(ProgressLoop progressLoop) {
        List<Thread> early;
        synchronized (this) {
            loop = progressLoop;
            early = new ArrayList<>(threadsBeforeBind);
            threadsBeforeBind.clear();
        }
        if (!early.isEmpty()) {
            progressLoop.execute(() -> {
                for (Thread thread : early) {
                    if (thread != Thread.currentThread()) {
                        violation("an event before bind() came on " + thread.getName() + ", not on the loop thread");
                    }
                }
            });
        }
    }

    /** When true, every fragment is retained in the callback and read only later. */
    public synchronized void retainFragments(boolean retain) {
        this.retainFragments = retain;
    }

    // ---- events -------------------------------------------------------------------------------

    @Override
    public void onSendComplete(long token) {
        synchronized (this) {
            enter("onSendComplete(" + token + ")", postSendDepth > 0);
            completions.merge(token, 1, Integer::sum);
            if (posting.containsKey(token)) {
                posting.put(token, true);
            } else if (postedInFlight.remove(token)) {
                // the normal case: the completion of an IN_FLIGHT send
            } else if (tracksPosts) {
                violations.add("onSendComplete(" + token + ") for a token that "
                        + (copiedSends.contains(token) ? "postSend already reported COMPLETE"
                        : completions.get(token) > 1 ? "was already reported complete" : "was never posted"));
            }
        }
        try {
            if (downstream != null) {
                downstream.onSendComplete(token);
            }
        } finally {
            leave();
        }
    }

    @Override
    public void onFragment(InboundFragment fragment) {
        synchronized (this) {
            enter("onFragment", false);
            try {
                record(fragment);
            } catch (RuntimeException e) {
                violations.add("reading a fragment threw " + e);
            }
        }
        try {
            if (downstream != null) {
                downstream.onFragment(fragment);
            }
        } finally {
            leave();
        }
    }

    @Override
    public void onWritable(int peerRank) {
        synchronized (this) {
            enter("onWritable(" + peerRank + ")", false);
            writable.merge(peerRank, 1, Integer::sum);
        }
        try {
            if (downstream != null) {
                downstream.onWritable(peerRank);
            }
        } finally {
            leave();
        }
    }

    @Override
    public void onFailure(int peerRank, Throwable cause) {
        synchronized (this) {
            enter("onFailure(" + peerRank + ")", false);
            failures.add(new Failure(peerRank, cause));
        }
        try {
            if (downstream != null) {
                downstream.onFailure(peerRank, cause);
            }
        } finally {
            leave();
        }
    }

    /** Checks where an event comes from; {@code reentryAllowed} when it may arrive inside postSend. */
    private void enter(String event, boolean reentryAllowed) {
        events++;
        Thread current = Thread.currentThread();
        deliveringThreads.add(current);
        ProgressLoop l = loop;
        if (l == null) {
            threadsBeforeBind.add(current);
        } else if (!l.inLoop()) {
            violations.add(event + " delivered on " + current.getName() + ", not on the loop thread");
        }
        if (closed) {
            violations.add(event + " delivered after close() returned");
        }
        if (connectDepth > 0) {
            violations.add(event + " delivered from inside connect()");
        } else if (postSendDepth > 0 && !reentryAllowed) {
            violations.add(event + " delivered from inside postSend() (only onSendComplete may be)");
        } else if (callbackDepth > 0 && postSendDepth == 0) {
            violations.add(event + " delivered from inside another callback");
        }
        callbackDepth++;
    }

    private void leave() {
        synchronized (this) {
            callbackDepth--;
        }
        listener.run();
    }

    private void record(InboundFragment fragment) {
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
            retained.add(new Retained(message, fragment.offsetBytes(), fragmentBytes, fragment.retain()));
        } else {
            data.get(data.position(), message.bytes, fragment.offsetBytes(), fragmentBytes);
        }
        message.nextOffsetBytes += fragmentBytes;
        message.fragments++;
        if (message.isComplete()) {
            completedMessages++;
        }
    }

    // ---- calls into the transport, told by the TransportNode --------------------------------

    synchronized void beforeConnect() {
        connectDepth++;
    }

    synchronized void afterConnect() {
        connectDepth--;
    }

    synchronized void beforePost(long token) {
        tracksPosts = true;
        postSendDepth++;
        posting.put(token, false);
    }

    /** Accounts for the outcome of a postSend; {@code result} null when it threw. */
    synchronized void afterPost(long token, SendResult result) {
        postSendDepth--;
        boolean completedInside = Boolean.TRUE.equals(posting.remove(token));
        if (result == null) {
            return;
        }
        switch (result) {
            case COMPLETE:
                if (completedInside) {
                    violations.add("postSend(" + token + ") returned COMPLETE, yet onSendComplete was reported too");
                } else {
                    completions.merge(token, 1, Integer::sum);
                }
                copiedSends.add(token);
                break;
            case IN_FLIGHT:
                if (!completedInside) {
                    postedInFlight.add(token);
                }
                break;
            case BACK_PRESSURED:
                backPressuredResults++;
                if (completedInside) {
                    violations.add("postSend(" + token + ") returned BACK_PRESSURED after reporting its completion");
                }
                break;
            default:
                throw new AssertionError(result);
        }
    }

    /** Records a breach found outside the callbacks (by the node or a test); any thread. */
    public synchronized void violation(String what) {
        violations.add(what);
    }

    /** From now on every event is a violation: call it once the transport's close() returned. */
    public synchronized void closed() {
        closed = true;
    }

    // ---- retained fragments -------------------------------------------------------------------

    /** Copies the bytes of every retained fragment into its message and checks its header, keeping it retained. */
    public synchronized void copyRetained() {
        for (Retained r : retained) {
            copy(r);
        }
    }

    /** Copies the bytes of every retained fragment into its message, then releases it. */
    public synchronized void copyAndReleaseRetained() {
        for (Retained r : retained) {
            copy(r);
            r.fragment.release();
        }
        retained.clear();
    }

    private void copy(Retained r) {
        InboundFragment f = r.fragment;
        String where = "retained fragment of " + Tags.toString(r.message.tag) + " at offset " + r.offsetBytes;
        if (f.peerRank() != r.message.peerRank || f.tag() != r.message.tag || f.descriptor() != r.message.descriptor
                || f.messageBytes() != r.message.bytes.length || f.offsetBytes() != r.offsetBytes) {
            violations.add(where + ": its header changed after the callback");
        }
        ByteBuffer data = f.data();
        if (data.remaining() != r.lengthBytes) {
            violations.add(where + ": " + data.remaining() + " bytes after the callback, " + r.lengthBytes + " in it");
            return;
        }
        data.get(data.position(), r.message.bytes, r.offsetBytes, r.lengthBytes);
    }

    public synchronized int retainedCount() {
        return retained.size();
    }

    // ---- what was recorded --------------------------------------------------------------------

    /** How many times {@code token} was reported complete (by event or by a COMPLETE result). */
    public synchronized int completions(long token) {
        return completions.getOrDefault(token, 0);
    }

    /** Every completed token with its number of completions (a copy). */
    public synchronized Map<Long, Integer> allCompletions() {
        return new HashMap<>(completions);
    }

    /** Tokens whose postSend returned COMPLETE (a copy). */
    public synchronized Set<Long> copiedSends() {
        return new HashSet<>(copiedSends);
    }

    public synchronized int backPressuredResults() {
        return backPressuredResults;
    }

    /** How many times {@code onWritable(peerRank)} was delivered. */
    public synchronized int writableEvents(int peerRank) {
        return writable.getOrDefault(peerRank, 0);
    }

    public synchronized int completedMessages() {
        return completedMessages;
    }

    /** Events delivered so far, of every kind. */
    public synchronized int events() {
        return events;
    }

    /** The message {@code tag} from {@code peerRank} if complete, else null. */
    public synchronized Message message(int peerRank, long tag) {
        Message m = messages.get(new MessageKey(peerRank, tag));
        return m != null && m.isComplete() ? m : null;
    }

    /** A copy of the failures reported so far. */
    public synchronized List<Failure> failures() {
        return new ArrayList<>(failures);
    }

    public synchronized boolean hasFailureOf(int peerRank) {
        return failures.stream().anyMatch(f -> f.peerRank == peerRank);
    }

    /** The threads that delivered events (a copy): only the loop thread, for a conforming transport. */
    public synchronized Set<Thread> deliveringThreads() {
        return new LinkedHashSet<>(deliveringThreads);
    }

    /** A copy of the contract breaches seen so far. */
    public synchronized List<String> violations() {
        return new ArrayList<>(violations);
    }
}
