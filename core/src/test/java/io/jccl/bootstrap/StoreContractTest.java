package io.jccl.bootstrap;

import io.jccl.JcclException;
import io.jccl.JcclTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link Store} contract, run against every implementation. Subclasses say how to make a
 * fresh store and how to get another handle on it (another client, another process's view).
 */
@Timeout(30)
abstract class StoreContractTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();

    /** A fresh, empty store. */
    protected abstract Store openStore() throws Exception;

    /** Another handle on the same store as {@code store}; may be {@code store} itself. */
    protected abstract Store openPeer(Store store) throws Exception;

    protected final <T extends AutoCloseable> T closeLater(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    @AfterEach
    void closeAll() throws Exception {
        executor.shutdownNow();
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS), "test threads did not stop");
    }

    private Store store() throws Exception {
        return closeLater(openStore());
    }

    private Store peer(Store store) throws Exception {
        Store peer = openPeer(store);
        if (peer != store) {
            closeLater(peer);
        }
        return peer;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void shouldReturnValueWhenKeyWasSet() throws Exception {
        Store store = store();
        store.set("k", bytes("v1"));
        assertEquals("v1", text(store.get("k", 0)));
        assertEquals("v1", text(peer(store).get("k", 0)));
    }

    @Test
    void shouldReplaceValueWhenSetAgain() throws Exception {
        Store store = store();
        store.set("k", bytes("first"));
        peer(store).set("k", bytes("second, longer"));
        assertEquals("second, longer", text(store.get("k", 0)));
    }

    @Test
    void shouldReturnNullThenExistingValueWhenSetIfAbsentTwice() throws Exception {
        Store store = store();
        assertNull(store.setIfAbsent("k", bytes("mine")));
        assertEquals("mine", text(peer(store).setIfAbsent("k", bytes("theirs"))));
        assertEquals("mine", text(store.get("k", 0)));
    }

    @Test
    void shouldCountFromZeroWhenAddingToAbsentKey() throws Exception {
        Store store = store();
        assertEquals(5, store.add("c", 5));
        assertEquals(3, peer(store).add("c", -2));
        assertEquals(3, store.add("c", 0));
        assertEquals("3", text(store.get("c", 0)));
    }

    @Test
    void shouldRefuseAddWhenKeyHoldsNonCounterValue() throws Exception {
        Store store = store();
        store.set("k", bytes("not a number"));
        JcclException e = assertThrows(JcclException.class, () -> store.add("k", 1));
        assertTrue(e.getMessage().contains("'k'"), e.getMessage());
        assertEquals("not a number", text(store.get("k", 0)));
    }

    @Test
    void shouldTimeOutNamingKeyWhenKeyIsNeverSet() throws Exception {
        Store store = store();
        long start = System.nanoTime();
        JcclTimeoutException e = assertThrows(JcclTimeoutException.class,
                () -> store.get("never/set", TimeUnit.MILLISECONDS.toNanos(300)));
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(e.getMessage().contains("'never/set'"), e.getMessage());
        assertTrue(elapsedMs >= 290, "returned after " + elapsedMs + " ms, before the timeout");
        assertTrue(elapsedMs < 5000, "took " + elapsedMs + " ms for a 300 ms timeout");
    }

    @Test
    void shouldCheckOnceWhenTimeoutIsZero() throws Exception {
        Store store = store();
        assertThrows(JcclTimeoutException.class, () -> store.get("k", 0));
        store.set("k", bytes("x"));
        assertEquals("x", text(store.get("k", 0)));
    }

    @Test
    void shouldWakeWaitingGetWhenAnotherHandleSets() throws Exception {
        Store store = store();
        Store peer = peer(store);
        long start = System.nanoTime();
        Future<byte[]> waiting = executor.submit(() -> store.get("late", TimeUnit.SECONDS.toNanos(20)));
        Thread.sleep(150);
        peer.set("late", bytes("arrived"));
        assertEquals("arrived", text(waiting.get(10, TimeUnit.SECONDS)));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 10_000);
    }

    @Test
    void shouldCountExactlyWhenManyHandlesAddConcurrently() throws Exception {
        Store store = store();
        int threads = 8;
        int addsPerThread = 40;
        List<Store> handles = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            handles.add(peer(store));
        }
        List<Future<List<Long>>> results = runTogether(threads, t -> {
            List<Long> seen = new ArrayList<>();
            for (int i = 0; i < addsPerThread; i++) {
                seen.add(handles.get(t).add("counter", 1));
            }
            return seen;
        });
        Set<Long> all = new HashSet<>();
        for (Future<List<Long>> f : results) {
            all.addAll(f.get(20, TimeUnit.SECONDS));
        }
        Set<Long> expected = new HashSet<>();
        for (long v = 1; v <= (long) threads * addsPerThread; v++) {
            expected.add(v);
        }
        assertEquals(expected, all, "every add must see a distinct intermediate value");
        assertEquals(Long.toString((long) threads * addsPerThread), text(store.get("counter", 0)));
    }

    @Test
    void shouldLetExactlyOneWinWhenSetIfAbsentRaces() throws Exception {
        Store store = store();
        int threads = 8;
        List<Store> handles = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            handles.add(peer(store));
        }
        List<Future<byte[]>> results = runTogether(threads, t -> handles.get(t).setIfAbsent("slot", bytes("t" + t)));
        List<Integer> winners = new ArrayList<>();
        List<String> seenByLosers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            byte[] existing = results.get(t).get(20, TimeUnit.SECONDS);
            if (existing == null) {
                winners.add(t);
            } else {
                seenByLosers.add(text(existing));
            }
        }
        assertEquals(1, winners.size(), "winners: " + winners);
        String winning = "t" + winners.get(0);
        assertEquals(winning, text(store.get("slot", 0)));
        for (String seen : seenByLosers) {
            assertEquals(winning, seen);
        }
    }

    @Test
    void shouldKeepEmptyAndLargeValuesIntact() throws Exception {
        Store store = store();
        byte[] large = new byte[1 << 20];
        new Random(42).nextBytes(large);
        store.set("empty", new byte[0]);
        store.set("large", large);
        Store peer = peer(store);
        assertArrayEquals(new byte[0], peer.get("empty", 0));
        assertArrayEquals(large, peer.get("large", 0));
    }

    @Test
    void shouldKeepKeysApartWhenTheyDifferOnlyInUnusualCharacters() throws Exception {
        Store store = store();
        String[] keys = {"a/b", "a%2Fb", "a_b", "a b", "a:b*?\"<>|", "ключ/ü", ".hidden", "..", "x".repeat(400),
                "x".repeat(399) + "y"};
        for (int i = 0; i < keys.length; i++) {
            store.set(keys[i], bytes("value " + i));
        }
        Store peer = peer(store);
        for (int i = 0; i < keys.length; i++) {
            assertEquals("value " + i, text(peer.get(keys[i], 0)), "key " + keys[i]);
        }
    }

    @Test
    void shouldNotShareArraysWithCallerWhenValuesAreMutated() throws Exception {
        Store store = store();
        byte[] value = bytes("abc");
        store.set("k", value);
        value[0] = 'X';
        byte[] read = store.get("k", 0);
        read[1] = 'Y';
        assertEquals("abc", text(store.get("k", 0)));
    }

    @Test
    void shouldFailCallsWhenClosedAndAllowClosingTwice() throws Exception {
        Store store = openStore();
        store.set("k", bytes("v"));
        store.close();
        store.close();
        assertThrows(JcclException.class, () -> store.set("k2", bytes("v")));
        assertThrows(JcclException.class, () -> store.get("k", 0));
    }

    @Test
    void shouldRejectNullAndEmptyArguments() throws Exception {
        Store store = store();
        assertThrows(IllegalArgumentException.class, () -> store.set("", bytes("v")));
        assertThrows(IllegalArgumentException.class, () -> store.set("k", null));
        assertThrows(IllegalArgumentException.class, () -> store.get("k", -1));
    }

    /** Runs {@code task} on {@code threads} threads released at the same moment. */
    protected final <T> List<Future<T>> runTogether(int threads, IndexedTask<T> task) {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Callable<T> c = () -> {
                start.await();
                return task.run(index);
            };
            futures.add(executor.submit(c));
        }
        start.countDown();
        return futures;
    }

    protected final ExecutorService executor() {
        return executor;
    }

    /** A task given its thread index. */
    @FunctionalInterface
    protected interface IndexedTask<T> {
        T run(int index) throws Exception;
    }
}
