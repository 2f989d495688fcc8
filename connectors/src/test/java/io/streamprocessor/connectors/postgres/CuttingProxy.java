package io.streamprocessor.connectors.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test helper: a TCP proxy on localhost in front of a database that, once armed, lets the next
 * {@code COMMIT} through to the server and then cuts the connection instead of passing the
 * server's answer back. The transaction is committed, and the client cannot know: the case in
 * which a retry would store a batch twice. Threads: one accepting, two per connection.
 */
final class CuttingProxy implements AutoCloseable {
    private static final byte[] COMMIT = "COMMIT".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket listener;
    private final int targetPort;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicInteger cuts = new AtomicInteger();

    CuttingProxy(int targetPort) {
        try {
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.targetPort = targetPort;
        Thread t = new Thread(this::accept, "cutting-proxy");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** The next COMMIT reaches the server, its answer does not reach the client. */
    void armCutAfterNextCommit() {
        armed.set(true);
    }

    /** Connections cut after a commit so far. */
    int cuts() {
        return cuts.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Connection c = new Connection(client, server);
                start(() -> c.clientToServer(), "cutting-proxy-up");
                start(() -> c.serverToClient(), "cutting-proxy-down");
            } catch (IOException e) {
                // closed, or the target refused: the client sees its connection end
            }
        }
    }

    private static void start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private final class Connection {
        private final Socket client;
        private final Socket server;
        private volatile boolean cutOnNextAnswer;

        Connection(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void clientToServer() {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = client.getInputStream(); OutputStream out = server.getOutputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    // decided before the server can answer, so its answer cannot slip through
                    if (contains(buf, n, COMMIT) && armed.compareAndSet(true, false)) {
                        cutOnNextAnswer = true;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side went away
            } finally {
                closeBoth();
            }
        }

        void serverToClient() {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = server.getInputStream(); OutputStream out = client.getOutputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    if (cutOnNextAnswer) {
                        cuts.incrementAndGet();
                        return;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side went away
            } finally {
                closeBoth();
            }
        }

        private void closeBoth() {
            try {
                client.close();
            } catch (IOException ignored) {
                // already closed
            }
            try {
                server.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private static boolean contains(byte[] buf, int n, byte[] word) {
        outer:
        for (int i = 0; i + word.length <= n; i++) {
            for (int j = 0; j < word.length; j++) {
                if (buf[i + j] != word[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
