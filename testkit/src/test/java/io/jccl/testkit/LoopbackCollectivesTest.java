package io.jccl.testkit;

/** The full collective matrix over the in-JVM loopback transport (fast; isolates engine and algorithms). */
class LoopbackCollectivesTest extends CollectiveConformanceSuite {
    @Override
    protected String transportName() {
        return "loopback";
    }
}
