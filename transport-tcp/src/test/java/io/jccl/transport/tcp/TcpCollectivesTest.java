package io.jccl.transport.tcp;

import io.jccl.testkit.CollectiveConformanceSuite;

/** Every collective × algorithm × type × op × world size × count over the TCP transport on 127.0.0.1. */
class TcpCollectivesTest extends CollectiveConformanceSuite {
    @Override
    protected String transportName() {
        return "tcp";
    }
}
