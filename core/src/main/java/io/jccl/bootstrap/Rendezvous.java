package io.jccl.bootstrap;

import io.jccl.JcclException;
import io.jccl.JcclTimeoutException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * All-to-all exchange of one payload per rank through a {@link Store}: the first thing a
 * communicator does, to learn its peers' transport addresses.
 *
 * <p>Keys live under a caller-chosen prefix, so several communicators can share one store; a
 * prefix serves one exchange only (a second exchange under the same prefix sees its own ranks as
 * duplicates). The steps, each failing with a message that names the problem and the fix:
 * <ol>
 *   <li>local checks: world size positive, rank in range;</li>
 *   <li>{@code <prefix>/worldSize}: the first rank registers the world size, every later rank
 *       must agree;</li>
 *   <li>{@code <prefix>/rank/<r>}: each rank claims its slot with a random nonce, its identity
 *       (pid, host, thread) and its payload; a second claimant of the same rank is refused;</li>
 *   <li>each rank waits for every other slot until the timeout, then names the missing ranks.</li>
 * </ol>
 * A rank that detects a problem also records it under {@code <prefix>/abort}, and the waiting
 * ranks check that key, so one misconfigured process fails the whole job quickly with the same
 * message instead of letting the others run into the timeout.
 *
 * <p>The communicator id is a hash of the prefix, world size and every rank's nonce: identical on
 * all ranks, different for every job. Static methods; thread-safe as far as the store is.
 */
public final class Rendezvous {
    /** How often a waiting rank looks for an abort from another rank. */
    private static final long ABORT_POLL_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final int NONCE_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Rendezvous() {
    }

    /**
     * What a rendezvous produced.
     *
     * @param payloads        every rank's payload, indexed by rank (this rank's own included)
     * @param communicatorId  the same on every rank of this exchange, random per job
     */
    public record Result(byte[][] payloads, long communicatorId) {
    }

    /**
     * Publishes {@code payload} as rank {@code rank} of {@code worldSize} and waits for all others.
     *
     * @param prefix    key prefix unique to this communicator (e.g. {@code "jccl/world"})
     * @param timeoutNs how long to wait for the slowest rank
     * @throws JcclException        rank out of range, world size disagreement, duplicate rank, or
     *                              another rank's abort
     * @throws JcclTimeoutException some ranks never registered; the message names them
     */
    public static Result exchange(Store store, String prefix, int rank, int worldSize, byte[] payload,
                                  long timeoutNs) {
        if (store == null || prefix == null || prefix.isEmpty() || payload == null) {
            throw new IllegalArgumentException("store, a non-empty prefix and a payload are required");
        }
        StoreSupport.checkTimeout(timeoutNs);
        long deadline = StoreSupport.deadline(timeoutNs);
        String abortKey = prefix + "/abort";
        if (worldSize < 1) {
            throw new JcclException("World size " + worldSize + " is not positive: set JCCL_WORLD_SIZE to the number of ranks");
        }
        if (rank < 0 || rank >= worldSize) {
            throw abort(store, abortKey, "Rank " + rank + " is outside world size " + worldSize + " (valid ranks: 0.."
                    + (worldSize - 1) + "): give every process a distinct JCCL_RANK below JCCL_WORLD_SIZE");
        }
        checkAbort(store, abortKey);

        byte[] registered = store.setIfAbsent(prefix + "/worldSize",
                (worldSize + " " + rank).getBytes(StandardCharsets.UTF_8));
        if (registered != null) {
            String[] parts = new String(registered, StandardCharsets.UTF_8).split(" ");
            int registeredSize = Integer.parseInt(parts[0]);
            if (registeredSize != worldSize) {
                throw abort(store, abortKey, "Rank " + rank + " says world size " + worldSize + " but rank "
                        + parts[1] + " registered world size " + registeredSize
                        + ": set the same JCCL_WORLD_SIZE on every rank");
            }
        }

        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        String identity = identity();
        byte[] claimed = store.setIfAbsent(rankKey(prefix, rank), encodeSlot(nonce, identity, payload));
        if (claimed != null) {
            throw abort(store, abortKey, "Two processes claim rank " + rank + ": " + decodeIdentity(claimed)
                    + " and " + identity + ". Give every process a distinct JCCL_RANK (0.." + (worldSize - 1)
                    + "), and use a fresh key prefix for every communicator");
        }

        byte[][] slots = new byte[worldSize][];
        slots[rank] = encodeSlot(nonce, identity, payload);
        for (int peer = 0; peer < worldSize; peer++) {
            if (slots[peer] == null) {
                slots[peer] = awaitSlot(store, prefix, abortKey, rank, peer, worldSize, slots, deadline, timeoutNs);
            }
        }

        byte[][] payloads = new byte[worldSize][];
        MessageDigest digest = sha256();
        digest.update(prefix.getBytes(StandardCharsets.UTF_8));
        digest.update(ByteBuffer.allocate(4).putInt(worldSize).array());
        for (int r = 0; r < worldSize; r++) {
            ByteBuffer slot = ByteBuffer.wrap(slots[r]);
            byte[] peerNonce = new byte[NONCE_BYTES];
            slot.get(peerNonce);
            digest.update(peerNonce);
            int identityBytes = slot.getInt();
            slot.position(slot.position() + identityBytes);
            payloads[r] = new byte[slot.remaining()];
            slot.get(payloads[r]);
        }
        return new Result(payloads, ByteBuffer.wrap(digest.digest()).getLong());
    }

    private static byte[] awaitSlot(Store store, String prefix, String abortKey, int rank, int peer, int worldSize,
                                    byte[][] slots, long deadline, long timeoutNs) {
        while (true) {
            long remainingNs = deadline - System.nanoTime();
            if (remainingNs <= 0) {
                List<Integer> missing = new ArrayList<>();
                for (int r = 0; r < worldSize; r++) {
                    if (slots[r] == null && poll(store, rankKey(prefix, r)) == null) {
                        missing.add(r);
                    }
                }
                checkAbort(store, abortKey);
                throw new JcclTimeoutException("Rendezvous '" + prefix + "' timed out after "
                        + StoreSupport.describeNs(timeoutNs) + ": rank " + rank + " waited for rank(s) " + missing
                        + " of world size " + worldSize + ", which never registered (store: " + store
                        + "). Start the missing ranks, and check that every rank uses the same JCCL_MASTER_ADDR,"
                        + " JCCL_MASTER_PORT and JCCL_WORLD_SIZE, or raise the timeout");
            }
            try {
                return store.get(rankKey(prefix, peer), Math.min(remainingNs, ABORT_POLL_NS));
            } catch (JcclTimeoutException e) {
                checkAbort(store, abortKey);
            }
        }
    }

    private static String rankKey(String prefix, int rank) {
        return prefix + "/rank/" + rank;
    }

    /** Records {@code message} so waiting ranks fail with it too (the first problem wins), and returns it. */
    private static JcclException abort(Store store, String abortKey, String message) {
        try {
            store.setIfAbsent(abortKey, message.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            // The local error is what matters; failing to tell the others must not hide it.
        }
        return new JcclException(message);
    }

    private static void checkAbort(Store store, String abortKey) {
        byte[] abort = poll(store, abortKey);
        if (abort != null) {
            throw new JcclException("Rendezvous aborted by another rank: " + new String(abort, StandardCharsets.UTF_8));
        }
    }

    private static byte[] poll(Store store, String key) {
        try {
            return store.get(key, 0);
        } catch (JcclTimeoutException e) {
            return null;
        }
    }

    private static byte[] encodeSlot(byte[] nonce, String identity, byte[] payload) {
        byte[] id = identity.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(NONCE_BYTES + 4 + id.length + payload.length)
                .put(nonce).putInt(id.length).put(id).put(payload).array();
    }

    private static String decodeIdentity(byte[] slot) {
        ByteBuffer b = ByteBuffer.wrap(slot);
        b.position(NONCE_BYTES);
        byte[] id = new byte[b.getInt()];
        b.get(id);
        return new String(id, StandardCharsets.UTF_8);
    }

    private static String identity() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isEmpty()) {
            host = "localhost";
        }
        return "pid " + ProcessHandle.current().pid() + " on " + host + " (thread " + Thread.currentThread().getName() + ")";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
    }
}
