package io.jccl.bootstrap;

/**
 * Key-value store the ranks use to find each other. Implementations are thread-safe. Every
 * waiting call takes a timeout and throws {@link io.jccl.JcclTimeoutException} naming the key.
 */
public interface Store extends AutoCloseable {

    /** Sets {@code key} to {@code value}, replacing any earlier value. */
    void set(String key, byte[] value);

    /**
     * Sets {@code key} only if it has no value yet.
     *
     * @return {@code null} when this call set it, otherwise the value already there
     */
    byte[] setIfAbsent(String key, byte[] value);

    /** Waits until {@code key} has a value and returns it. */
    byte[] get(String key, long timeoutNs);

    /** Atomically adds {@code delta} to the counter {@code key} (absent counts as 0); returns the new value. */
    long add(String key, long delta);

    @Override
    void close();
}
