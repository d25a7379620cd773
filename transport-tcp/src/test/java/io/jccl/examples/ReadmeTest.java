package io.jccl.examples;

import io.jccl.config.CoreOptions;
import io.jccl.config.Option;
import io.jccl.spi.TransportProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps the README honest: its quick-start is the compiled one, and its option table lists every option. */
@Timeout(10)
class ReadmeTest {
    private static String readme() throws IOException {
        return Files.readString(Path.of("..", "README.md"));
    }

    @Test
    void shouldShowTheCompiledQuickStartWhenReadingReadme() throws IOException {
        String source = Files.readString(Path.of("src/test/java/io/jccl/examples/QuickStart.java"));
        String snippet = source.substring(source.indexOf("// quickstart:begin") + "// quickstart:begin".length(),
                source.indexOf("// quickstart:end"));
        String readme = readme();
        for (String line : snippet.strip().split("\n")) {
            assertTrue(readme.contains(line.strip()), "README quick-start lacks: " + line.strip());
        }
    }

    @Test
    void shouldDocumentEveryOptionWhenReadingReadme() throws IOException {
        List<Option<?>> all = new ArrayList<>(CoreOptions.all());
        for (TransportProvider p : ServiceLoader.load(TransportProvider.class)) {
            all.addAll(p.options());
        }
        String readme = readme();
        for (Option<?> o : all) {
            assertTrue(readme.contains("`" + o.property() + "`"), "README option table lacks " + o.property());
        }
    }
}
