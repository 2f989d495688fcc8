package io.streamprocessor.connectors;

import java.nio.charset.StandardCharsets;

/** Unescapes the text of a JSON string as the engine's JSON encoder writes it: a backslash before a quote or a backslash, and a six-character escape for control characters. */
final class JsonText {
    private JsonText() {
    }

    static String unescape(byte[] b, int start, int end) {
        int backslash = -1;
        for (int i = start; i < end; i++) {
            if (b[i] == '\\') {
                backslash = i;
                break;
            }
        }
        if (backslash < 0) {
            return new String(b, start, end - start, StandardCharsets.UTF_8);
        }
        byte[] out = new byte[end - start];
        int n = 0;
        for (int i = start; i < end; i++) {
            byte c = b[i];
            if (c != '\\') {
                out[n++] = c;
                continue;
            }
            byte e = b[++i];
            if (e == 'u') {
                out[n++] = (byte) Integer.parseInt(new String(b, i + 1, 4, StandardCharsets.US_ASCII), 16);
                i += 4;
            } else {
                out[n++] = e; // \" and \\
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
