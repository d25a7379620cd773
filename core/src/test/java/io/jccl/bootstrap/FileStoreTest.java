package io.jccl.bootstrap;

import io.jccl.JcclTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileStoreTest extends StoreContractTest {
    @TempDir
    Path temp;
    private int stores;

    @Override
    protected Store openStore() {
        return new FileStore(temp.resolve("store-" + stores++));
    }

    @Override
    protected Store openPeer(Store store) {
        return new FileStore(((FileStore) store).directory());
    }

    @Test
    void shouldLeaveNoTemporaryFilesWhenWritesFinish() throws Exception {
        FileStore store = closeLater(new FileStore(temp.resolve("clean")));
        store.set("a", "1".getBytes(StandardCharsets.UTF_8));
        store.setIfAbsent("a", "2".getBytes(StandardCharsets.UTF_8));
        store.setIfAbsent("b", "3".getBytes(StandardCharsets.UTF_8));
        store.add("c", 4);
        try (Stream<Path> files = Files.list(store.directory())) {
            assertEquals(java.util.Set.of("a", "b", "c"),
                    files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
        assertEquals("4", Files.readString(store.directory().resolve("c")), "counters are readable decimal");
    }

    @Test
    void shouldNameLockFileWhenCounterLockIsStale() throws Exception {
        FileStore store = closeLater(new FileStore(temp.resolve("stale"), TimeUnit.MILLISECONDS.toNanos(200)));
        Path lock = store.directory().resolve(".lock-c");
        Files.createFile(lock);
        JcclTimeoutException e = assertThrows(JcclTimeoutException.class, () -> store.add("c", 1));
        assertTrue(e.getMessage().contains(lock.toString()) && e.getMessage().contains("delete it"), e.getMessage());
        Files.delete(lock);
        assertEquals(1, store.add("c", 1));
    }
}
