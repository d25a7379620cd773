package io.jccl.bootstrap;

import io.jccl.JcclException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InMemoryStoreTest extends StoreContractTest {
    @Override
    protected Store openStore() {
        return new InMemoryStore();
    }

    @Override
    protected Store openPeer(Store store) {
        return store;
    }

    @Test
    void shouldWakeWaitingGetWithErrorWhenClosed() throws Exception {
        InMemoryStore store = new InMemoryStore();
        Future<byte[]> waiting = executor().submit(() -> store.get("k", TimeUnit.SECONDS.toNanos(20)));
        Thread.sleep(100);
        store.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(5, TimeUnit.SECONDS));
        assertInstanceOf(JcclException.class, e.getCause());
    }
}
