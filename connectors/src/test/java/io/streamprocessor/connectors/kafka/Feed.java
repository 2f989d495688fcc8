package io.streamprocessor.connectors.kafka;

import io.streamprocessor.engine.pipeline.IngestRequest;
import io.streamprocessor.engine.pipeline.Ingestor;
import io.streamprocessor.engine.pipeline.StreamProcessor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Test helper: publishes numbered events into a processor the way the HTTP server does (claim,
 * write, publish, wait for the request to complete) and knows the JSON line each one must become.
 * Event {@code i} has id {@code e<i>}, type {@code metric}, source {@code s-<i % sources>},
 * timestamp {@code T0 + i} and data with unicode, an escaped quote, a number kept as written
 * ({@code 1.50}) and a nested object with an array.
 */
final class Feed {
    static final long T0 = 1_699_380_000_000L;
    private static final char[] PRICE = "1.50".toCharArray();
    private static final Pattern RECEIVED_AT = Pattern.compile(",\"receivedAt\":(\\d+),");

    private final int sources;
    /** The one event whose text is 1,000 characters long, or -1. */
    private final int large;

    Feed(int sources) {
        this(sources, -1);
    }

    private Feed(int sources, int large) {
        this.sources = sources;
        this.large = large;
    }

    /** The same events, but event {@code i}'s text is 1,000 characters long. */
    Feed withLargeEvent(int i) {
        return new Feed(sources, i);
    }

    private String text(int i) {
        return i == large ? "x".repeat(1_000) : "é 传 🚀 \"" + i + "\"";
    }

    static String id(int i) {
        return "e" + i;
    }

    String source(int i) {
        return "s-" + (i % sources);
    }

    /** Event {@code i}'s line, with {@code receivedAt} (server time, not known in advance) as {@code R}. */
    String line(int i) {
        return "{\"id\":\"e" + i + "\",\"type\":\"metric\",\"source\":\"" + source(i) + "\",\"timestamp\":" + (T0 + i)
            + ",\"receivedAt\":R,\"data\":{\"value\":" + i + ",\"text\":\"" + text(i).replace("\"", "\\\"") + "\",\"price\":1.50,"
            + "\"nested\":{\"list\":[1,true,null,\"x\"]}}}";
    }

    /** The line with its receivedAt replaced by {@code R}, to compare with {@link #line}. */
    static String withoutReceivedAt(String line) {
        return RECEIVED_AT.matcher(line).replaceFirst(",\"receivedAt\":R,");
    }

    static long receivedAt(String line) {
        Matcher m = RECEIVED_AT.matcher(line);
        assertTrue(m.find(), "receivedAt in " + line);
        return Long.parseLong(m.group(1));
    }

    /**
     * Publishes events {@code from..to-1}, {@code perRequest} to a request, waiting for each
     * request to complete; returns those of the requests the processor took (the others it refused:
     * a sink was behind).
     */
    List<Integer> send(StreamProcessor p, int from, int to, int perRequest) throws InterruptedException {
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
                in.slot(k).type("metric").source(source(e)).id(id(e)).timestamp(T0 + e)
                    .data().startObject()
                    .name("value").number(e)
                    .name("text").string(text(e))
                    .name("price").number(1.5, PRICE, 0, PRICE.length)
                    .name("nested").startObject().name("list").startArray()
                    .number(1).bool(true).nullValue().string("x").endArray().endObject()
                    .endObject();
            }
            in.publish();
            r.await();
            for (int k = 0; k < n; k++) {
                taken.add(i + k);
            }
        }
        return taken;
    }

    /** A request that counts down when the pipeline is done with it. */
    static final class Done extends IngestRequest {
        private final CountDownLatch latch = new CountDownLatch(1);

        @Override
        protected void onComplete() {
            latch.countDown();
        }

        void await() throws InterruptedException {
            assertTrue(latch.await(20, TimeUnit.SECONDS), "request completed");
        }
    }

    /** Waits, at most {@code seconds}, until the condition holds; fails naming it otherwise. */
    static void waitFor(int seconds, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out after " + seconds + " s waiting until " + what);
            LockSupport.parkNanos(20_000_000);
        }
    }
}
