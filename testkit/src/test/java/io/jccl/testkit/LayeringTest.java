package io.jccl.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The module layering of DESIGN.md, checked on the sources: core sees no transport, no Netty and no
 * algorithm; algorithms see only core's schedule model (and the API value types); transports see
 * only core's SPI, API and options; nothing compiles against a transport.
 */
@Timeout(30)
class LayeringTest {
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    private static List<String> violations(String module, List<String> allowedJccl, List<String> forbidden)
            throws IOException {
        List<String> bad = new ArrayList<>();
        Path root = Path.of("..", module, "src", "main", "java");
        assertTrue(Files.isDirectory(root), "missing " + root.toAbsolutePath());
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    String imp = m.group(2);
                    boolean jcclOk = !imp.startsWith("io.jccl.") || allowedJccl.stream().anyMatch(imp::startsWith);
                    boolean notForbidden = forbidden.stream().noneMatch(imp::startsWith);
                    if (!jcclOk || !notForbidden) {
                        bad.add(root.relativize(f) + " imports " + imp);
                    }
                }
            }
        }
        return bad;
    }

    @Test
    void shouldKeepCoreFreeOfTransportsAlgorithmsAndNetty() throws IOException {
        List<String> bad = violations("core", List.of("io.jccl."), List.of("io.netty", "io.jccl.algorithms",
                "io.jccl.transport.tcp", "io.aeron", "org.agrona.concurrent.UnsafeBuffer", "sun.", "jdk.internal"));
        assertTrue(bad.isEmpty(), bad::toString);
    }

    @Test
    void shouldLetAlgorithmsSeeOnlyTheScheduleModel() throws IOException {
        List<String> bad = violations("algorithms", List.of("io.jccl.schedule.", "io.jccl.algorithms.",
                "io.jccl.DataType", "io.jccl.ReduceOp"), List.of("io.netty", "java.net", "java.nio.channels"));
        assertTrue(bad.isEmpty(), bad::toString);
    }

    @Test
    void shouldLetTransportsSeeOnlyTheSpiApiAndOptions() throws IOException {
        List<String> bad = violations("transport-tcp", List.of("io.jccl.spi.", "io.jccl.config.",
                "io.jccl.transport.tcp.", "io.jccl.PeerFailureException", "io.jccl.JcclException"),
                List.of("io.jccl.engine", "io.jccl.algorithms", "sun.", "jdk.internal"));
        assertTrue(bad.isEmpty(), bad::toString);
    }
}
