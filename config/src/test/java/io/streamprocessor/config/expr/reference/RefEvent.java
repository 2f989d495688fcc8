package io.streamprocessor.config.expr.reference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * An event as plain Java values: {@code data} holds maps, lists, strings, Longs, Doubles, Booleans
 * and nulls, as a JSON parser would give them. Random events mix missing members, nulls, wrong
 * types, nested objects, arrays, numbers at the edges of exact doubles, and non-ASCII text.
 */
record RefEvent(String type, String source, long timestamp, long receivedAt, Map<String, Object> data) {
    private static final String[] TYPES = {"metric", "log", "trace", "é", "3"};
    private static final String[] SOURCES = {"web-1", "web-2", "db", "😀-edge", "x"};
    private static final String[] KEYS = {"a", "b", "c", "k-1", "x y", "é"};
    private static final long[] LONGS = {0, 1, 2, 3, -1, -3, 5, 10, 100, 1000, 60000, 1_699_999_999_000L,
        1_700_000_000_000L, 4_503_599_627_370_497L, 9_007_199_254_740_993L};
    private static final double[] DOUBLES = {0.5, 2.5, -0.5, 1.5, 0.25, 0.1, -2.5, 1e-7, 2.0, -0.0, 1e300,
        0.49999999999999994};

    static RefEvent random(Random r) {
        long t = 1_699_999_999_000L + switch (r.nextInt(3)) {
            case 0 -> 0;
            case 1 -> 1000L * (r.nextInt(2001) - 1000);
            default -> r.nextInt(2_000_001) - 1_000_000;
        };
        long received = t + switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> 1000;
            case 2 -> r.nextInt(5000);
            default -> -r.nextInt(1000);
        };
        Map<String, Object> data = new LinkedHashMap<>();
        for (String k : KEYS) {
            if (r.nextInt(5) > 0) {
                data.put(k, value(r, 1));
            }
        }
        int o = r.nextInt(5);
        if (o < 3) {
            Map<String, Object> inner = new LinkedHashMap<>();
            if (r.nextInt(10) < 7) {
                inner.put("e", value(r, 0));
            }
            if (r.nextInt(10) < 7) {
                inner.put("k-1", value(r, 0));
            }
            data.put("o", inner);
        } else if (o == 3) {
            data.put("o", value(r, 0));
        }
        return new RefEvent(TYPES[r.nextInt(TYPES.length)], SOURCES[r.nextInt(SOURCES.length)], t, received, data);
    }

    private static Object value(Random r, int depth) {
        int roll = r.nextInt(depth > 0 ? 12 : 10);
        return switch (roll) {
            case 0 -> null;
            case 1, 2 -> LONGS[r.nextInt(LONGS.length)];
            case 3 -> (long) (r.nextInt(7) - 3);
            case 4 -> DOUBLES[r.nextInt(DOUBLES.length)];
            case 5, 6 -> r.nextInt(8) == 0 ? "?" : TreeGenerator.STRINGS[r.nextInt(TreeGenerator.STRINGS.length)];
            case 7 -> r.nextBoolean();
            case 8, 9 -> r.nextBoolean() ? List.of(1L, "x") : new ArrayList<>();
            default -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("e", value(r, depth - 1));
                yield m;
            }
        };
    }

    /** {@code data} as JSON text. */
    String dataJson() {
        StringBuilder sb = new StringBuilder();
        json(data, sb);
        return sb.toString();
    }

    private static void json(Object v, StringBuilder sb) {
        if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(first ? "" : ",");
                string((String) e.getKey(), sb);
                sb.append(':');
                json(e.getValue(), sb);
                first = false;
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                sb.append(i > 0 ? "," : "");
                json(l.get(i), sb);
            }
            sb.append(']');
        } else if (v instanceof String s) {
            string(s, sb);
        } else {
            sb.append(v);
        }
    }

    private static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    @Override
    public String toString() {
        return "{type " + type + ", source " + source + ", timestamp " + timestamp + ", receivedAt " + receivedAt
            + ", data " + dataJson() + "}";
    }
}
