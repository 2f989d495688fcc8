package io.streamprocessor.perf.sinks;

import io.streamprocessor.engine.event.EventWriter;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Realistic events for the sink benchmarks, written into claimed slots without allocating: an id
 * {@code evt-<n>}, one of 8 types and 64 sources, an event time near now, and data
 * {@code {"value":<2 decimals>,"region":..,"user":"u-<k>","path":..}} (about 80 bytes of JSON, a
 * whole row about 150 bytes of COPY text). Also the same kind of row as COPY text, for the database-alone
 * reference. One per thread.
 */
final class Events {
    private static final String[] TYPES = {"page_view", "click", "purchase", "signup", "error", "api_call", "search", "logout"};
    private static final String[] REGIONS = {"eu-west-1", "us-east-1", "ap-south-1", "sa-east-1"};
    private static final String[] PATHS = {"/api/v1/items", "/api/v1/cart", "/checkout", "/search?q=shoes"};
    private static final int VALUES = 1024;
    private static final int USERS = 1000;

    private final char[][] type = chars(TYPES);
    private final char[][] source = new char[64][];
    private final char[][] region = chars(REGIONS);
    private final char[][] path = chars(PATHS);
    private final char[][] value = new char[VALUES][];
    private final double[] number = new double[VALUES];
    private final char[][] user = new char[USERS][];
    private final char[] id = new char[24];
    private final long now = System.currentTimeMillis();
    private long n;
    private long state = 0x9E3779B97F4A7C15L;

    Events() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < source.length; i++) {
            source[i] = ("web-" + (i / 16) + "-node-" + i).toCharArray();
        }
        for (int i = 0; i < VALUES; i++) {
            value[i] = String.format(Locale.ROOT, "%.2f", Math.exp(Math.log(50) + random.nextGaussian())).toCharArray();
            number[i] = Double.parseDouble(new String(value[i]));
        }
        for (int i = 0; i < USERS; i++) {
            user[i] = ("u-" + i).toCharArray();
        }
        "evt-".getChars(0, 4, id, 0);
    }

    void write(EventWriter slot) {
        long r = next();
        int idLength = id();
        char[] t = type[(int) (r & 7)];
        char[] s = source[(int) ((r >>> 3) & 63)];
        int vi = (int) ((r >>> 9) & (VALUES - 1));
        char[] v = value[vi];
        char[] g = region[(int) ((r >>> 19) & 3)];
        char[] u = user[(int) (((r >>> 21) & 0xFFFF) % USERS)];
        char[] p = path[(int) ((r >>> 37) & 3)];
        slot.id(id, 0, idLength).type(t, 0, t.length).source(s, 0, s.length).timestamp(now - ((r >>> 40) & 1023));
        slot.data().startObject()
            .name("value").number(number[vi], v, 0, v.length)
            .name("region").string(g, 0, g.length)
            .name("user").string(u, 0, u.length)
            .name("path").string(p, 0, p.length)
            .endObject();
    }

    /** The next event as a row of COPY text (columns as the sink's table). */
    void copyRow(StringBuilder b) {
        long r = next();
        int idLength = id();
        b.append(id, 0, idLength).append('\t').append(type[(int) (r & 7)]).append('\t').append(source[(int) ((r >>> 3) & 63)])
            .append('\t').append(now - ((r >>> 40) & 1023)).append('\t').append(now).append('\t')
            .append("{\"value\":").append(value[(int) ((r >>> 9) & (VALUES - 1))])
            .append(",\"region\":\"").append(region[(int) ((r >>> 19) & 3)])
            .append("\",\"user\":\"").append(user[(int) (((r >>> 21) & 0xFFFF) % USERS)])
            .append("\",\"path\":\"").append(path[(int) ((r >>> 37) & 3)]).append("\"}\n");
    }

    /** Writes {@code evt-<n>} into the id buffer, returning its length. */
    private int id() {
        long k = ++n;
        int digits = 1;
        for (long x = k; x >= 10; x /= 10) {
            digits++;
        }
        for (int i = 4 + digits - 1; i >= 4; i--) {
            id[i] = (char) ('0' + k % 10);
            k /= 10;
        }
        return 4 + digits;
    }

    private long next() {
        long x = state;
        x ^= x >>> 12;
        x ^= x << 25;
        x ^= x >>> 27;
        state = x;
        return x * 0x2545F4914F6CDD1DL;
    }

    private static char[][] chars(String[] words) {
        char[][] out = new char[words.length][];
        for (int i = 0; i < words.length; i++) {
            out[i] = words[i].toCharArray();
        }
        return out;
    }
}
