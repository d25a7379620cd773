package io.jccl.bench.perf;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Passes lines to a stream, dropping one prefix where a line starts with it: the launcher tags
 * every rank's line with {@code [rank k] }, but rank 0's table should read like nccl-tests'
 * output. Other lines pass unchanged. Writes happen per complete line; a partial last line is
 * written on {@link #close()} only, because the launcher flushes between a prefix and its line.
 * Not thread-safe on its own; the launcher writes each line under the sink's lock.
 */
final class PrefixStrippingOutput extends OutputStream {
    private final PrintStream sink;
    private final byte[] prefix;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    PrefixStrippingOutput(PrintStream sink, String prefix) {
        this.sink = sink;
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void write(int b) {
        line.write(b);
        if (b == '\n') {
            emit();
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    @Override
    public void flush() {
        sink.flush();
    }

    private void emit() {
        byte[] bytes = line.toByteArray();
        line.reset();
        int skip = startsWithPrefix(bytes) ? prefix.length : 0;
        sink.write(bytes, skip, bytes.length - skip);
    }

    private boolean startsWithPrefix(byte[] bytes) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        if (line.size() > 0) {
            emit();
        }
        sink.flush();
    }
}
