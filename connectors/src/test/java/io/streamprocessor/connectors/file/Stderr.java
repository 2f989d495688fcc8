package io.streamprocessor.connectors.file;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Test helper: what the code under test says on standard error while it runs, still shown as usual. */
final class Stderr implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

    Stderr() {
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (seen) {
                    seen.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (seen) {
                    seen.write(b, off, len);
                }
                original.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8));
    }

    String text() {
        synchronized (seen) {
            return seen.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
