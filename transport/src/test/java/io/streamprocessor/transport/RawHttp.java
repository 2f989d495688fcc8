package io.streamprocessor.transport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Test helper: an HTTP/1.x client on a bare socket, for what the JDK client will not do:
 * pipelining, {@code Connection} headers, HTTP/1.0, half-sent and broken requests. Reads
 * responses framed by {@code Content-Length}.
 */
final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(15_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** A complete request text with {@code Host} and, when there is a body, {@code Content-Length}. */
    static String request(String method, String path, String body, String... headers) {
        StringBuilder b = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        if (body != null) {
            b.append("Content-Type: application/json\r\nContent-Length: ")
                .append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        }
        b.append("\r\n");
        if (body != null) {
            b.append(body);
        }
        return b.toString();
    }

    RawHttp write(String text) throws IOException {
        return write(text.getBytes(StandardCharsets.UTF_8));
    }

    RawHttp write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** The next response; fails if the connection ends before one is complete. */
    Response read() throws IOException {
        return read(false);
    }

    /** The next response to a HEAD request: its headers, and no body whatever Content-Length says. */
    Response readHead() throws IOException {
        return read(true);
    }

    private Response read(boolean head) throws IOException {
        String status = line();
        assertNotNull(status, "connection closed before a response");
        String[] parts = status.split(" ", 3);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(); h != null && !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        String length = headers.get("content-length");
        int code = Integer.parseInt(parts[1]);
        byte[] body;
        if (code < 200 || head) {
            body = new byte[0]; // interim responses and answers to HEAD have no body
        } else if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
            if (body.length != Integer.parseInt(length)) {
                throw new IOException("connection closed inside a body: " + status);
            }
        } else {
            body = in.readAllBytes();
        }
        return new Response(parts[0], code, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** True when the server closes the connection within the time, without sending anything more. */
    boolean closedWithin(Duration time) throws IOException {
        socket.setSoTimeout((int) Math.max(1, time.toMillis()));
        try {
            int b = in.read();
            if (b >= 0) {
                throw new AssertionError("expected the connection to close, got more bytes: " + (char) b);
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset: closed as well
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
        if (b.size() > 0) {
            throw new IOException("connection closed inside a line: " + b);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A response as read off the wire; header names lower-cased. */
    record Response(String version, int status, Map<String, String> headers, String body) {
        Map<String, Object> json() {
            return Json.object(body);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** Checks what every response promises, then returns this. */
        Response checked(String what) {
            TestServer.assertEveryResponseRule(status, headers.get("content-type"), body, what);
            return this;
        }
    }
}
