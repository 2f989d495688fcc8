package io.streamprocessor.transport.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.streamprocessor.engine.window.WindowQuery;

import java.util.List;
import java.util.Map;

/**
 * Reads the query parameters of {@code GET /aggregations} ({@code from}, {@code to},
 * {@code limit}, {@code groupBy}, {@code top}, all optional) into a {@link WindowQuery}, or into
 * the 400 message naming the first bad one. Stateless; called on a connection's event loop.
 */
final class AggregationParameters {
    static final List<String> NAMES = List.of("from", "to", "limit", "groupBy", "top");
    private static final String KNOWN = String.join(", ", NAMES);
    /** What {@link #digits} answers for text that is not a decimal integer, and for one past 63 bits. */
    private static final long NOT_DIGITS = -1;
    private static final long TOO_LARGE = -2;

    /** Either a query (null when the request had no parameter: the default response) or an error message. */
    record Parsed(WindowQuery query, String error) {
    }

    private AggregationParameters() {
    }

    static Parsed parse(String uri) {
        Map<String, List<String>> params;
        try {
            params = new QueryStringDecoder(uri).parameters();
        } catch (IllegalArgumentException e) {
            return new Parsed(null, "query string: invalid percent-encoding");
        }
        if (params.isEmpty()) {
            return new Parsed(null, null);
        }
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            if (!NAMES.contains(p.getKey())) {
                return error("unknown query parameter '" + p.getKey() + "'; known: " + KNOWN);
            }
            if (p.getValue().size() > 1) {
                return error(p.getKey() + ": given more than once");
            }
        }
        long from = Long.MIN_VALUE;
        long to = Long.MAX_VALUE;
        long limit = Integer.MAX_VALUE;
        long top = WindowQuery.DEFAULT_TOP;
        WindowQuery.GroupBy groupBy = null;
        for (String name : List.of("from", "to", "limit", "top")) {
            String value = value(params, name);
            if (value == null) {
                continue;
            }
            long n = digits(value);
            boolean count = name.equals("limit") || name.equals("top");
            if (count && n == TOO_LARGE) {
                n = Integer.MAX_VALUE; // more than there can ever be
            }
            if (n < 0 || (count && n == 0)) {
                return error(count ? name + ": must be a positive integer"
                    : name + ": must be an integer from 0 to " + Long.MAX_VALUE + " (epoch milliseconds)");
            }
            switch (name) {
                case "from" -> from = n;
                case "to" -> to = n;
                case "limit" -> limit = n;
                default -> top = n;
            }
        }
        if (from > to) {
            return error("from: must not be after to (from " + from + ", to " + to + ")");
        }
        String by = value(params, "groupBy");
        if (by != null) {
            switch (by) {
                case "type" -> groupBy = WindowQuery.GroupBy.TYPE;
                case "source" -> groupBy = WindowQuery.GroupBy.SOURCE;
                default -> {
                    return error("groupBy: must be type or source");
                }
            }
        } else if (params.containsKey("top")) {
            return error("top: only with groupBy");
        }
        return new Parsed(new WindowQuery(from, to, (int) Math.min(limit, Integer.MAX_VALUE), groupBy,
            (int) Math.min(top, Integer.MAX_VALUE)), null);
    }

    private static Parsed error(String message) {
        return new Parsed(null, message);
    }

    private static String value(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null ? null : v.get(0);
    }

    /** The value as a decimal integer of ASCII digits only (no sign), {@link #NOT_DIGITS} or {@link #TOO_LARGE}. */
    private static long digits(String s) {
        if (s.isEmpty()) {
            return NOT_DIGITS;
        }
        long n = 0;
        boolean overflow = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return NOT_DIGITS;
            }
            if (!overflow) {
                if (n > (Long.MAX_VALUE - (c - '0')) / 10) {
                    overflow = true;
                } else {
                    n = n * 10 + (c - '0');
                }
            }
        }
        return overflow ? TOO_LARGE : n;
    }
}
