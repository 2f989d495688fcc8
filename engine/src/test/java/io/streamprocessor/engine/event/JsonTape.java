package io.streamprocessor.engine.event;

import java.nio.charset.StandardCharsets;

/**
 * Test support: writes JSON text through a {@link DataWriter} token by token, as a streaming decoder
 * would, and reads an event back as the JSON line sinks receive ({@link EventJson}).
 */
public final class JsonTape {
    private final String s;
    private final DataWriter tape;
    private int i;

    private JsonTape(String s, DataWriter tape) {
        this.s = s;
        this.tape = tape;
    }

    /** Writes one JSON value (normally an object) onto the tape; the caller resets the tape first. */
    public static DataWriter write(DataWriter tape, String json) {
        JsonTape w = new JsonTape(json, tape);
        w.value();
        w.space();
        if (w.i != json.length()) {
            throw new IllegalArgumentException("trailing text at " + w.i + ": " + json);
        }
        return tape;
    }

    /** Writes one JSON value onto a bare tape, as {@link #write(DataWriter, String)} does. */
    public static DataTape write(DataTape tape, String json) {
        write(new DataWriter(tape), json);
        return tape;
    }

    /** The event as one JSON line, exactly as a sink receives it. */
    public static String encode(EventView slot) {
        EventJson json = new EventJson();
        int n = json.encode(slot);
        return new String(json.buffer(), 0, n, StandardCharsets.UTF_8);
    }

    /** The {@code data} member of {@link #encode}. */
    public static String data(EventView slot) {
        String line = encode(slot);
        int at = line.indexOf(",\"data\":");
        return line.substring(at + 8, line.length() - 1);
    }

    private void value() {
        space();
        char c = s.charAt(i);
        switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> tape.string(string());
            case 't' -> literal("true", () -> tape.bool(true));
            case 'f' -> literal("false", () -> tape.bool(false));
            case 'n' -> literal("null", tape::nullValue);
            default -> number();
        }
    }

    private void object() {
        i++;
        tape.startObject();
        space();
        if (s.charAt(i) == '}') {
            i++;
            tape.endObject();
            return;
        }
        while (true) {
            space();
            tape.name(string());
            space();
            expect(':');
            value();
            space();
            if (s.charAt(i) == ',') {
                i++;
            } else {
                expect('}');
                tape.endObject();
                return;
            }
        }
    }

    private void array() {
        i++;
        tape.startArray();
        space();
        if (s.charAt(i) == ']') {
            i++;
            tape.endArray();
            return;
        }
        while (true) {
            value();
            space();
            if (s.charAt(i) == ',') {
                i++;
            } else {
                expect(']');
                tape.endArray();
                return;
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = s.charAt(i++);
            if (c == '"') {
                return b.toString();
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = s.charAt(i++);
            switch (e) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> b.append(e);
            }
        }
    }

    private void number() {
        int start = i;
        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        String text = s.substring(start, i);
        if (text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
            tape.number(Double.parseDouble(text), text.toCharArray(), 0, text.length());
        } else {
            tape.number(Long.parseLong(text));
        }
    }

    private void literal(String word, Runnable write) {
        if (!s.startsWith(word, i)) {
            throw new IllegalArgumentException("bad literal at " + i + ": " + s);
        }
        i += word.length();
        write.run();
    }

    private void expect(char c) {
        if (s.charAt(i) != c) {
            throw new IllegalArgumentException("expected '" + c + "' at " + i + ": " + s);
        }
        i++;
    }

    private void space() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }
}
