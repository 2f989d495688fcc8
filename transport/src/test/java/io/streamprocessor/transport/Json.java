package io.streamprocessor.transport;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test helper: parses a response body into plain Java values (LinkedHashMap, ArrayList, Long,
 * Double, String, Boolean, null) with jackson-core, failing on anything that is not exactly one
 * JSON value. Also reads nested members by a dotted path.
 */
final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder()
        .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();

    private Json() {
    }

    static Object parse(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new AssertionError("empty body, expected JSON");
            }
            Object v = value(p, t);
            if (p.nextToken() != null) {
                throw new AssertionError("trailing content after JSON: " + text);
            }
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new AssertionError("expected a JSON object: " + text);
        }
        return (Map<String, Object>) v;
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                    m.put(name, value(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    l.add(value(p, e));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IOException("unexpected token " + t);
        }
    }

    /** The member at a dotted path ({@code stats.totalProcessed}); fails when a step is missing. */
    @SuppressWarnings("unchecked")
    static Object at(Object root, String path) {
        Object v = root;
        for (String step : path.split("\\.")) {
            if (!(v instanceof Map<?, ?> m) || !m.containsKey(step)) {
                throw new AssertionError("no member '" + path + "' in " + root);
            }
            v = ((Map<String, Object>) m).get(step);
        }
        return v;
    }

    static long longAt(Object root, String path) {
        Object v = at(root, path);
        if (!(v instanceof Long l)) {
            throw new AssertionError("'" + path + "' is not an integer: " + v);
        }
        return l;
    }

    /** Escapes a string as a JSON string literal, quotes included. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
