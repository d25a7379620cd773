package io.jccl.transport.tcp;

import io.jccl.testkit.CollectiveConformanceSuite;

import java.util.Map;

/**
 * The collectives over TCP with Netty's own thread running the sockets ({@code jccl.tcp.progress=thread},
 * the mode of Netty 4.1), on two world sizes: {@link TcpCollectivesTest} covers the default mode, where
 * callers drive, on all of them.
 */
class TcpThreadProgressCollectivesTest extends CollectiveConformanceSuite {
    @Override
    protected String transportName() {
        return "tcp";
    }

    @Override
    protected Map<String, String> options() {
        return Map.of(TcpOptions.PROGRESS.property(), "thread");
    }

    @Override
    protected int[] worldSizes() {
        return System.getProperty("jcclTest.worlds") != null ? super.worldSizes() : new int[] {3, 4};
    }
}
