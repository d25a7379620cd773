package io.jccl.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Copies one child stream to a sink line by line, each line prefixed with {@code [rank k] }.
 * Works on bytes, so the child's charset passes through untouched; a line is written to the sink
 * in one synchronized block, so lines of different ranks never interleave mid-line. Runs on its
 * own daemon thread until the stream ends.
 */
final class LinePrefixer implements Runnable {
    /** A line longer than this is passed on in pieces rather than buffered without bound. */
    private static final int MAX_LINE_BYTES = 64 * 1024;

    private final InputStream source;
    private final PrintStream sink;
    private final byte[] prefix;

    LinePrefixer(InputStream source, PrintStream sink, int rank) {
        this.source = source;
        this.sink = sink;
        this.prefix = ("[rank " + rank + "] ").getBytes(StandardCharsets.UTF_8);
    }

    static Thread start(InputStream source, PrintStream sink, int rank, String streamName) {
        Thread thread = new Thread(new LinePrefixer(source, sink, rank), "jccl-launch-rank-" + rank + "-" + streamName);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void run() {
        byte[] chunk = new byte[8192];
        byte[] line = new byte[256];
        int lineLength = 0;
        try (source) {
            int n;
            while ((n = source.read(chunk)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = chunk[i];
                    if (b == '\n') {
                        emit(line, lineLength);
                        lineLength = 0;
                        continue;
                    }
                    if (lineLength == line.length) {
                        if (lineLength >= MAX_LINE_BYTES) {
                            emit(line, lineLength);
                            lineLength = 0;
                        } else {
                            line = Arrays.copyOf(line, line.length * 2);
                        }
                    }
                    line[lineLength++] = b;
                }
            }
        } catch (IOException e) {
            // The child died or was killed and its pipe broke: pass on what we have.
        }
        if (lineLength > 0) {
            emit(line, lineLength);
        }
    }

    private void emit(byte[] line, int lengthBytes) {
        // Windows children end lines with \r\n; the sink adds its own line end.
        int end = lengthBytes > 0 && line[lengthBytes - 1] == '\r' ? lengthBytes - 1 : lengthBytes;
        synchronized (sink) {
            sink.write(prefix, 0, prefix.length);
            sink.write(line, 0, end);
            sink.println();
            sink.flush();
        }
    }
}
