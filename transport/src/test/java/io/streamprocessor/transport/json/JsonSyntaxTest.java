package io.streamprocessor.transport.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a client is told about a malformed body: the scan agrees with the server's parser on
 * which bodies are one JSON value (so it never blames a body the parser took, nor finds nothing
 * in one it refused), and says what is wrong and where, in words about the request.
 */
class JsonSyntaxTest {
    private static final EventDecoder DECODER = new EventDecoder(16, 256);

    private static String scan(byte[] body) {
        ByteBuf buf = Unpooled.wrappedBuffer(body);
        return DECODER.syntaxError(buf, buf.readerIndex(), buf.writerIndex());
    }

    private static String scan(String body) {
        return scan(body.getBytes(StandardCharsets.UTF_8));
    }

    /** The reference: the decoder's own parser reads the whole body as exactly one value. */
    private static boolean parserAccepts(byte[] body) {
        try (JsonParser p = DECODER.parser(new BodyBytes().of(Unpooled.wrappedBuffer(body)))) {
            int depth = 0;
            int values = 0;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (depth == 0) {
                    values++;
                }
                if (t.isStructStart()) {
                    depth++;
                } else if (t.isStructEnd()) {
                    depth--;
                }
            }
            return values == 1;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void saysWhatIsWrongAndWhere() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("", "empty body");
        cases.put(" \r\n", "empty body");
        cases.put("{\"type\":\"t\",\"source\":\"s\"", "the body ends before the object is closed (line 1, column 25)");
        cases.put("{\"type\":", "the body ends in the middle of a value (line 1, column 9)");
        cases.put("[1,", "the body ends in the middle of a value (line 1, column 4)");
        cases.put("{\"type\":\"me", "unterminated string (line 1, column 9)");
        cases.put("{\"v\":NaN}", "NaN and Infinity are not JSON numbers (line 1, column 6)");
        cases.put("{\"v\":-Infinity}", "NaN and Infinity are not JSON numbers (line 1, column 6)");
        cases.put("{\"v\":+Infinity}", "NaN and Infinity are not JSON numbers (line 1, column 6)");
        cases.put("[Infinity]", "NaN and Infinity are not JSON numbers (line 1, column 2)");
        cases.put("{\"v\":+1}", "a number may not start with '+' (line 1, column 6)");
        cases.put("{\"v\":01}", "numbers may not have leading zeros (line 1, column 6)");
        cases.put("{\"v\":-007}", "numbers may not have leading zeros (line 1, column 6)");
        cases.put("{\"v\":.5}", "a number must start with a digit, not '.' (line 1, column 6)");
        cases.put("{\"v\":1.}", "a number needs a digit after the decimal point (line 1, column 6)");
        cases.put("{\"v\":1e+}", "a number needs a digit in its exponent (line 1, column 6)");
        cases.put("{\"v\":-}", "a number needs a digit after '-' (line 1, column 6)");
        cases.put("{\"v\":" + "9".repeat(65) + "}", "a number with more than 64 digits (line 1, column 6)");
        cases.put("{'type':'t'}", "member names take double quotes, not single quotes (line 1, column 2)");
        cases.put("{\"type\":'t'}", "strings take double quotes, not single quotes (line 1, column 9)");
        cases.put("{type:\"t\"}", "member name 'type' is not in double quotes (line 1, column 2)");
        cases.put("{\"v\":tru}", "unquoted text 'tru': strings take double quotes, and the only bare words are true, false"
            + " and null (line 1, column 6)");
        cases.put("{\"a\":1,}", "trailing comma before '}' (line 1, column 8)");
        cases.put("[1,2,]", "trailing comma before ']' (line 1, column 6)");
        cases.put("{\"a\":1 \"b\":2}", "expected ',' or '}' after a member, found '\"' (line 1, column 8)");
        cases.put("[1 2]", "expected ',' or ']' after an array element, found '2' (line 1, column 4)");
        cases.put("{\"a\":[1,2}}", "expected ',' or ']' after an array element, found '}' (line 1, column 10)");
        cases.put("{\"a\" 1}", "expected ':' after the member name, found '1' (line 1, column 6)");
        cases.put("{\"a\":}", "expected a value, found '}' (line 1, column 6)");
        cases.put("}", "expected a value, found '}' (line 1, column 1)");
        cases.put("{,}", "expected a member name in double quotes, found ',' (line 1, column 2)");
        cases.put("/* note */ {}", "comments are not allowed in JSON (line 1, column 1)");
        cases.put("{\"a\":1} // note", "unexpected content after the value (line 1, column 9)");
        cases.put("{\"a\":1}}", "unexpected content after the value (line 1, column 8)");
        cases.put("{} {}", "unexpected content after the value (line 1, column 4)");
        cases.put("{\"t\":\"a\u0001b\"}", "control character U+0001 in a string must be escaped as \\u0001 (line 1, column 8)");
        cases.put("{\"t\":\"a\tb\"}", "control character U+0009 in a string must be escaped as \\u0009 (line 1, column 8)");
        cases.put("{\"t\":1\u0000}", "expected ',' or '}' after a member, found control character U+0000 (line 1, column 7)");
        cases.put("{\"t\":\"\\x\"}", "invalid escape '\\x' in a string; the escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX"
            + " (line 1, column 7)");
        cases.put("{\"t\":\"\\u12\"}", "invalid escape: \\u takes four hex digits (line 1, column 7)");
        cases.put("{\n  \"é\": x\n}", "unquoted text 'x': strings take double quotes, and the only bare words are true, false"
            + " and null (line 2, column 8)");
        cases.put("\uFEFF{\"a\":", "the body ends in the middle of a value (line 1, column 6)");
        cases.put("[".repeat(1001), "nested deeper than 1000 levels (line 1, column 1001)");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            assertEquals("malformed JSON: " + c.getValue(), scan(c.getKey()), c.getKey());
            assertTrue(!parserAccepts(c.getKey().getBytes(StandardCharsets.UTF_8)), "the parser refuses it too: " + c.getKey());
        }
    }

    @Test
    void findsNothingWrongInWhatTheParserTakes() {
        for (String body : new String[] {"{}", "[]", " {\"a\" : [1, -0, 0.5, -1.5e+10, 2E-3, true, false, null, \"\\u00e9\\n\"]}\r\n",
            "\"just a string\"", "42", "{\"é\":\"😀\"}", "[".repeat(1000) + "]".repeat(1000), "1" + "0".repeat(63),
            "{\"v\":1e999}", "\uFEFF{}"}) {
            assertNull(scan(body), body);
            assertTrue(parserAccepts(body.getBytes(StandardCharsets.UTF_8)), body);
        }
    }

    @Test
    void agreesWithTheParserOnRandomlyBrokenJson() {
        Random random = new Random(20240611);
        byte[] pool = "{}[],:\"\\'/#-+.0123456789eEntfrulasNIx \t\n\r\u0001\u007f".getBytes(StandardCharsets.UTF_8);
        int refused = 0;
        for (int n = 0; n < 20_000; n++) {
            byte[] body = value(random, 0).getBytes(StandardCharsets.UTF_8);
            int edits = random.nextInt(3);
            for (int e = 0; e < edits && body.length > 0; e++) {
                body = mutate(random, body, pool);
            }
            if (Utf8Validator.firstInvalid(body, 0, body.length) >= 0) {
                continue; // the server refuses those before parsing
            }
            boolean accepted = parserAccepts(body);
            String error = scan(body);
            assertEquals(accepted, error == null, new String(body, StandardCharsets.UTF_8) + " -> " + error);
            if (!accepted) {
                refused++;
            }
        }
        assertTrue(refused > 5_000, "most edits break the JSON, so the comparison covers errors: " + refused);
    }

    private static byte[] mutate(Random random, byte[] body, byte[] pool) {
        int at = random.nextInt(body.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (random.nextInt(4)) {
            case 0 -> { // truncate
                out.write(body, 0, at);
            }
            case 1 -> { // delete a byte
                out.write(body, 0, at);
                out.write(body, at + 1, body.length - at - 1);
            }
            case 2 -> { // insert a byte
                out.write(body, 0, at);
                out.write(pool[random.nextInt(pool.length)]);
                out.write(body, at, body.length - at);
            }
            default -> { // replace a byte
                out.write(body, 0, at);
                out.write(pool[random.nextInt(pool.length)]);
                out.write(body, at + 1, body.length - at - 1);
            }
        }
        return out.toByteArray();
    }

    private static String value(Random random, int depth) {
        int kind = depth > 3 ? 2 + random.nextInt(5) : random.nextInt(7);
        return switch (kind) {
            case 0 -> {
                StringBuilder b = new StringBuilder("{");
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    b.append(i == 0 ? "" : ",").append(blank(random)).append(string(random)).append(blank(random)).append(':')
                        .append(blank(random)).append(value(random, depth + 1));
                }
                yield b.append(blank(random)).append('}').toString();
            }
            case 1 -> {
                StringBuilder b = new StringBuilder("[");
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    b.append(i == 0 ? "" : ",").append(blank(random)).append(value(random, depth + 1)).append(blank(random));
                }
                yield b.append(']').toString();
            }
            case 2 -> string(random);
            case 3 -> number(random);
            case 4 -> "true";
            case 5 -> "false";
            default -> "null";
        };
    }

    private static String string(Random random) {
        String[] parts = {"a", "type", "é", "😀", "\\n", "\\\"", "\\\\", "\\u00e9", "\\/", " ", "x1"};
        StringBuilder b = new StringBuilder("\"");
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            b.append(parts[random.nextInt(parts.length)]);
        }
        return b.append('"').toString();
    }

    private static String number(Random random) {
        StringBuilder b = new StringBuilder();
        if (random.nextBoolean()) {
            b.append('-');
        }
        b.append(random.nextInt(10) == 0 ? "0" : String.valueOf(1 + random.nextInt(99_999)));
        if (random.nextInt(3) == 0) {
            b.append('.').append(random.nextInt(1000));
        }
        if (random.nextInt(4) == 0) {
            b.append(random.nextBoolean() ? 'e' : 'E').append(random.nextBoolean() ? "-" : "").append(random.nextInt(40));
        }
        return b.toString();
    }

    private static String blank(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> " ";
            case 1 -> "\n  ";
            default -> "";
        };
    }
}
