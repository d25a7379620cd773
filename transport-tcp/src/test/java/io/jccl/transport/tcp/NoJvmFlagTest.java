package io.jccl.transport.tcp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Core and the TCP transport must work without any JVM flag (a Spark or DJL user cannot easily add
 * one). Every test of this module runs in a JVM started without {@code --add-exports} or
 * {@code --add-opens}; this test makes that precondition explicit so it cannot erode unnoticed.
 */
class NoJvmFlagTest {
    @Test
    @Timeout(10)
    void shouldRunTestsOfThisModuleWithoutAnyExportOrOpenFlag() {
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            assertFalse(arg.contains("add-exports") || arg.contains("add-opens"), "JVM started with " + arg);
        }
    }
}
