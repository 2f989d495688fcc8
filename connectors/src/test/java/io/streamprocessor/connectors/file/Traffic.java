package io.streamprocessor.connectors.file;

import io.streamprocessor.engine.pipeline.IngestRequest;
import io.streamprocessor.engine.pipeline.Ingestor;
import io.streamprocessor.engine.pipeline.StreamProcessor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Test helper: events numbered {@code i} sent into a processor, and the lines a file sink wrote for them. */
final class Traffic {
    static final long T0 = 1_699_380_000_000L;
    private static final Pattern LINE = Pattern.compile(
        "\\{\"id\":\"e(\\d+)\",\"type\":\"metric\",\"source\":\"s-\\1\",\"timestamp\":(\\d+),\"receivedAt\":\\d+,"
            + "\"data\":\\{\"value\":\\1,\"text\":\"é \\\\\"\\1\\\\\"\"}}");

    private Traffic() {
    }

    /**
     * Sends events {@code from..to-1} in requests of {@code perRequest}, each waited for, and returns
     * the numbers of the events taken (a request refused under back-pressure is not retried).
     */
    static List<Integer> send(StreamProcessor p, int from, int to, int perRequest) throws InterruptedException {
        Ingestor in = p.newIngestor();
        List<Integer> taken = new ArrayList<>();
        for (int i = from; i < to; i += perRequest) {
            int n = Math.min(perRequest, to - i);
            Done r = new Done();
            if (!in.claim(n, r)) {
                continue;
            }
            for (int k = 0; k < n; k++) {
                int e = i + k;
                in.slot(k).type("metric").source("s-" + e).id("e" + e).timestamp(T0 + e)
                    .data().startObject().name("value").number(e).name("text").string("é \"" + e + "\"").endObject();
                taken.add(e);
            }
            in.publish();
            r.await();
        }
        return taken;
    }

    static List<Integer> send(StreamProcessor p, int from, int to) throws InterruptedException {
        return send(p, from, to, 1);
    }

    static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    /** The event numbers of the lines, in order, failing on any line that is not one whole event. */
    static List<Integer> events(List<String> lines) {
        List<Integer> out = new ArrayList<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                fail("not one whole event: " + line);
            }
            int e = Integer.parseInt(m.group(1));
            assertEquals(T0 + e, Long.parseLong(m.group(2)), line);
            out.add(e);
        }
        return out;
    }

    /** The lines of a plain file, which must end with a newline (no torn last line). */
    static List<String> lines(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.isEmpty() || text.endsWith("\n"), file + " ends without a newline: a torn line");
        return text.isEmpty() ? List.of() : List.of(text.split("\n", -1)).subList(0, text.split("\n", -1).length - 1);
    }

    /** Polls until the condition holds, failing after the deadline. */
    static void await(String what, Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + within + " waiting until " + what);
            }
            LockSupport.parkNanos(2_000_000); // a pause between polls, not a guess at how long it takes
        }
    }

    static void await(String what, BooleanSupplier condition) {
        await(what, Duration.ofSeconds(10), condition);
    }

    /** A request whose completion can be awaited. */
    static final class Done extends IngestRequest {
        private final CountDownLatch latch = new CountDownLatch(1);

        @Override
        protected void onComplete() {
            latch.countDown();
        }

        void await() throws InterruptedException {
            assertTrue(latch.await(10, TimeUnit.SECONDS), "request completed");
        }
    }
}
