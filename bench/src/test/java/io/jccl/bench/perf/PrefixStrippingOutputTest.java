package io.jccl.bench.perf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(10)
class PrefixStrippingOutputTest {

    @Test
    void shouldDropPrefixWhenLineArrivesInPiecesWithFlushes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream sink = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        PrintStream s = new PrintStream(new PrefixStrippingOutput(sink, "[rank 0] "), true, StandardCharsets.UTF_8);
        // The launcher writes the prefix, the line and the line end separately, flushing in between.
        s.print("[rank 0] ");
        s.flush();
        s.print("#       size");
        s.println();
        s.print("[rank 1] error: boom\n");
        s.print("[rank 0]x\n");
        s.print("[rank 0] partial");
        assertEquals("#       size\n[rank 1] error: boom\n[rank 0]x\n",
                bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
        s.close();
        assertEquals("#       size\n[rank 1] error: boom\n[rank 0]x\npartial",
                bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }
}
