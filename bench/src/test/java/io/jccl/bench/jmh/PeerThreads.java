package io.jccl.bench.jmh;

import java.util.ArrayList;
import java.util.List;

/** Test helper: the peer-rank threads of {@link RankThreads} still alive in this JVM. */
final class PeerThreads {
    private PeerThreads() {
    }

    static List<String> alive() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(RankThreads.THREAD_PREFIX) && t.isAlive()) {
                names.add(t.getName());
            }
        }
        return names;
    }
}
