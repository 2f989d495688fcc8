package io.streamprocessor.perf.load;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Pre-encoded HTTP requests carrying realistic events: several types and sources, numeric
 * values, varied {@code data}, timestamps near now. A pool is built up front and rebuilt on
 * demand so event times keep up with the clock; the generator only copies bytes while sending.
 */
final class RequestBodies {
    private static final String[] TYPES = {"metric", "metric", "metric", "log", "log", "trace", "event"};
    private static final String[] UNITS = {"ms", "bytes", "count", "percent"};
    private static final String[] ENDPOINTS = {"/api/users", "/api/orders", "/api/search", "/health", "/login"};
    private static final String[] LEVELS = {"debug", "info", "info", "warn", "error"};
    private static final int POOL = 256;
    private static final int POOL_BYTES = 8 << 20;

    private final LoadOptions options;
    private final SplittableRandom random;
    private volatile byte[][] requests = new byte[0][];
    private volatile long builtAtMillis;
    private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

    RequestBodies(LoadOptions options) {
        this.options = options;
        this.random = new SplittableRandom(options.seed());
        rebuild();
    }

    /** The next request to send, whole (request line, headers and body). Any thread. */
    byte[] next() {
        byte[][] pool = requests;
        return pool[(next.getAndIncrement() & Integer.MAX_VALUE) % pool.length];
    }

    /** Rebuilds the pool once its event times are a second old. Called from one thread only. */
    void refreshIfStale() {
        if (System.currentTimeMillis() - builtAtMillis >= 1000) {
            rebuild();
        }
    }

    private void rebuild() {
        long now = System.currentTimeMillis();
        int perRequest = Math.max(1, options.batch() * 180);
        int n = options.method().equals("GET") ? 1 : Math.max(4, Math.min(POOL, POOL_BYTES / perRequest));
        byte[][] built = new byte[n][];
        for (int i = 0; i < n; i++) {
            built[i] = request(now);
        }
        requests = built;
        builtAtMillis = now;
    }

    private byte[] request(long now) {
        String head;
        byte[] body = new byte[0];
        if (options.method().equals("GET")) {
            head = "GET " + options.path() + " HTTP/1.1\r\nHost: " + options.host() + "\r\n\r\n";
        } else {
            StringBuilder b = new StringBuilder(options.batch() * 160);
            if (options.batch() > 1) {
                b.append('[');
            }
            for (int i = 0; i < options.batch(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                event(b, now - random.nextInt(1000));
            }
            if (options.batch() > 1) {
                b.append(']');
            }
            body = b.toString().getBytes(StandardCharsets.UTF_8);
            head = "POST " + options.path() + " HTTP/1.1\r\nHost: " + options.host()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
        }
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] r = new byte[h.length + body.length];
        System.arraycopy(h, 0, r, 0, h.length);
        System.arraycopy(body, 0, r, h.length, body.length);
        return r;
    }

    private void event(StringBuilder b, long timestamp) {
        String type = TYPES[random.nextInt(TYPES.length)];
        b.append("{\"type\":\"").append(type)
            .append("\",\"source\":\"web-server-").append(1 + random.nextInt(20))
            .append("\",\"timestamp\":").append(timestamp)
            .append(",\"data\":{");
        if (type.equals("log")) {
            b.append("\"level\":\"").append(LEVELS[random.nextInt(LEVELS.length)])
                .append("\",\"message\":\"request ").append(random.nextInt(100_000)).append(" done\"");
        } else {
            b.append("\"value\":").append(random.nextInt(10_000) / 10.0)
                .append(",\"unit\":\"").append(UNITS[random.nextInt(UNITS.length)])
                .append("\",\"endpoint\":\"").append(ENDPOINTS[random.nextInt(ENDPOINTS.length)])
                .append("\",\"userId\":\"u").append(random.nextInt(5_000)).append('"');
        }
        b.append("}}");
    }
}
