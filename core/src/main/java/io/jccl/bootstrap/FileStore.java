package io.jccl.bootstrap;

import io.jccl.JcclException;
import io.jccl.JcclTimeoutException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Store} in a directory that every rank can see, for single-host tests and jobs without
 * a reachable rank 0. One file per key; values become visible atomically.
 *
 * <ul>
 *   <li>{@code set}: write a temporary file, then rename it over the key's file.</li>
 *   <li>{@code setIfAbsent}: write a temporary file, then hard-link it to the key's file; the link
 *       fails if the key exists, so exactly one writer wins and readers never see a partial value.</li>
 *   <li>{@code add}: under a lock file created with create-new semantics ({@code .lock-<key>});
 *       the counter is decimal ASCII, so {@code cat} shows it.</li>
 *   <li>{@code get}: polls with a backoff from 1 ms up to 50 ms until the timeout.</li>
 * </ul>
 *
 * <p>Thread-safe and safe across processes on one host (and on network filesystems that honour
 * rename, hard links and create-new). {@link #close()} is idempotent and leaves the directory in
 * place for the other ranks; deleting it is the job owner's business. Temporary and lock files
 * start with a dot; key files never do.
 */
public final class FileStore implements Store {
    /** How long {@code add} waits for another writer's lock before suspecting a crashed holder. */
    public static final long DEFAULT_LOCK_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final long MAX_POLL_MS = 50;
    private static final int MAX_PLAIN_NAME_CHARS = 180;

    private final Path directory;
    private final long lockTimeoutNs;
    private volatile boolean closed;

    /** A store in {@code directory}, created if missing. */
    public FileStore(Path directory) {
        this(directory, DEFAULT_LOCK_TIMEOUT_NS);
    }

    /**
     * A store in {@code directory}, created if missing.
     *
     * @param lockTimeoutNs how long {@code add} waits for the counter's lock file
     */
    public FileStore(Path directory, long lockTimeoutNs) {
        if (lockTimeoutNs <= 0) {
            throw new IllegalArgumentException("lockTimeoutNs must be > 0, got " + lockTimeoutNs);
        }
        this.directory = directory.toAbsolutePath();
        this.lockTimeoutNs = lockTimeoutNs;
        try {
            Files.createDirectories(this.directory);
        } catch (IOException e) {
            throw new JcclException("Cannot create the FileStore directory " + this.directory + " (" + e
                    + "): pick a directory every rank can write", e);
        }
    }

    /** The directory holding the keys. */
    public Path directory() {
        return directory;
    }

    @Override
    public void set(String key, byte[] value) {
        StoreSupport.checkKey(key);
        StoreSupport.checkValue(value);
        checkOpen();
        Path target = fileOf(key);
        try {
            Path temp = writeTemp(value);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw failure("set", key, e);
        }
    }

    @Override
    public byte[] setIfAbsent(String key, byte[] value) {
        StoreSupport.checkKey(key);
        StoreSupport.checkValue(value);
        checkOpen();
        Path target = fileOf(key);
        try {
            Path temp = writeTemp(value);
            try {
                Files.createLink(target, temp);
                return null;
            } catch (FileAlreadyExistsException e) {
                return Files.readAllBytes(target);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw failure("setIfAbsent", key, e);
        }
    }

    @Override
    public byte[] get(String key, long timeoutNs) {
        StoreSupport.checkKey(key);
        StoreSupport.checkTimeout(timeoutNs);
        Path target = fileOf(key);
        long deadline = StoreSupport.deadline(timeoutNs);
        long backoffMs = 1;
        while (true) {
            checkOpen();
            try {
                return Files.readAllBytes(target);
            } catch (NoSuchFileException e) {
                // Not there yet: poll again below.
            } catch (IOException e) {
                throw failure("get", key, e);
            }
            long remainingNs = deadline - System.nanoTime();
            if (remainingNs <= 0) {
                throw new JcclTimeoutException("Store key '" + key + "' was not set within "
                        + StoreSupport.describeNs(timeoutNs) + " (file store in " + directory
                        + "): the rank that should set it did not get there, or it uses another directory");
            }
            sleep(Math.min(backoffMs, TimeUnit.NANOSECONDS.toMillis(remainingNs) + 1), key);
            backoffMs = Math.min(MAX_POLL_MS, backoffMs * 2);
        }
    }

    @Override
    public long add(String key, long delta) {
        StoreSupport.checkKey(key);
        checkOpen();
        Path target = fileOf(key);
        Path lock = directory.resolve(".lock-" + target.getFileName());
        acquire(lock, key);
        long updated;
        try {
            byte[] current;
            try {
                current = Files.readAllBytes(target);
            } catch (NoSuchFileException e) {
                current = null;
            }
            updated = StoreSupport.addExact(key, StoreSupport.decodeCounter(key, current), delta);
            Path temp = writeTemp(StoreSupport.encodeCounter(updated));
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException | RuntimeException e) {
            releaseQuietly(lock);
            throw e instanceof IOException ? failure("add", key, (IOException) e) : (RuntimeException) e;
        }
        try {
            Files.delete(lock);
        } catch (IOException e) {
            // A lock left behind would stall every later add; say so now rather than then.
            throw failure("unlock for add", key, e);
        }
        return updated;
    }

    private static void releaseQuietly(Path lock) {
        try {
            Files.deleteIfExists(lock);
        } catch (IOException ignored) {
            // Already failing; a stale lock is reported by the next add, naming the file.
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "FileStore[" + directory + "]";
    }

    private void acquire(Path lock, String key) {
        long deadline = System.nanoTime() + lockTimeoutNs;
        long backoffMs = 1;
        while (true) {
            try {
                Files.createFile(lock);
                return;
            } catch (FileAlreadyExistsException e) {
                // Someone else holds it: wait below.
            } catch (IOException e) {
                throw failure("lock for add", key, e);
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new JcclTimeoutException("Could not lock counter '" + key + "' in " + directory + " within "
                        + StoreSupport.describeNs(lockTimeoutNs) + ": the lock file " + lock
                        + " stays in place. If no rank is running, a crashed process left it behind: delete it");
            }
            sleep(backoffMs, key);
            backoffMs = Math.min(20, backoffMs * 2);
        }
    }

    private Path writeTemp(byte[] value) throws IOException {
        Path temp = Files.createTempFile(directory, ".tmp-", "");
        try {
            Files.write(temp, value);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }

    /**
     * Maps a key to a file name: letters, digits, '_' and '-' stay, every other UTF-8 byte becomes
     * %XX; very long keys keep a prefix plus a SHA-256 of the whole key ('~' marks them, and plain
     * names never contain it).
     */
    Path fileOf(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        StringBuilder name = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                name.append((char) c);
            } else {
                name.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        if (name.length() > MAX_PLAIN_NAME_CHARS) {
            name.setLength(100);
            name.append('~').append(sha256Hex(bytes));
        }
        return directory.resolve(name.toString());
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            StringBuilder hex = new StringBuilder(64);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
    }

    private void sleep(long ms, String key) {
        try {
            Thread.sleep(Math.max(1, ms));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JcclException("Interrupted while waiting for store key '" + key + "'", e);
        }
    }

    private JcclException failure(String operation, String key, IOException e) {
        return new JcclException("FileStore in " + directory + " failed to " + operation + " key '" + key + "' ("
                + e + "): every rank needs read/write access to this directory, on a filesystem with hard links", e);
    }

    private void checkOpen() {
        if (closed) {
            throw new JcclException("The " + this + " is closed");
        }
    }
}
