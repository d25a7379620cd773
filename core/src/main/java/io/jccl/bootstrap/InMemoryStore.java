package io.jccl.bootstrap;

import io.jccl.JcclException;
import io.jccl.JcclTimeoutException;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Store} inside one JVM, for tests that run the ranks as threads (all ranks share one
 * instance). Also the state behind a {@link TcpStore} server.
 *
 * <p>Thread-safe. Values are copied in and out, so callers may reuse their arrays. Counters are
 * decimal ASCII. {@link #close()} wakes every waiting {@code get}, which then fails; later calls
 * fail too.
 */
public final class InMemoryStore implements Store {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, byte[]> values = new HashMap<>();
    private boolean closed;

    public InMemoryStore() {
    }

    @Override
    public void set(String key, byte[] value) {
        StoreSupport.checkKey(key);
        StoreSupport.checkValue(value);
        byte[] copy = value.clone();
        lock.lock();
        try {
            checkOpen();
            values.put(key, copy);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public byte[] setIfAbsent(String key, byte[] value) {
        StoreSupport.checkKey(key);
        StoreSupport.checkValue(value);
        byte[] copy = value.clone();
        lock.lock();
        try {
            checkOpen();
            byte[] existing = values.putIfAbsent(key, copy);
            if (existing == null) {
                changed.signalAll();
                return null;
            }
            return existing.clone();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public byte[] get(String key, long timeoutNs) {
        StoreSupport.checkKey(key);
        StoreSupport.checkTimeout(timeoutNs);
        long remainingNs = timeoutNs;
        lock.lock();
        try {
            while (true) {
                checkOpen();
                byte[] value = values.get(key);
                if (value != null) {
                    return value.clone();
                }
                if (remainingNs <= 0) {
                    throw new JcclTimeoutException("Store key '" + key + "' was not set within "
                            + StoreSupport.describeNs(timeoutNs)
                            + " (in-memory store): the rank that should set it did not get there");
                }
                remainingNs = changed.awaitNanos(remainingNs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JcclException("Interrupted while waiting for store key '" + key + "'", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Like {@link #get} but returns {@code null} instead of throwing on timeout, for the TCP
     * server; the wait is also cut short when the store is closed.
     */
    byte[] await(String key, long timeoutNs) throws InterruptedException {
        long remainingNs = timeoutNs;
        lock.lock();
        try {
            while (true) {
                checkOpen();
                byte[] value = values.get(key);
                if (value != null || remainingNs <= 0) {
                    return value;
                }
                remainingNs = changed.awaitNanos(remainingNs);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long add(String key, long delta) {
        StoreSupport.checkKey(key);
        lock.lock();
        try {
            checkOpen();
            long current = StoreSupport.decodeCounter(key, values.get(key));
            long updated = StoreSupport.addExact(key, current, delta);
            values.put(key, StoreSupport.encodeCounter(updated));
            changed.signalAll();
            return updated;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new JcclException("The in-memory store is closed");
        }
    }

    @Override
    public String toString() {
        return "InMemoryStore";
    }
}
