package io.streamprocessor.transport;

import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.pipeline.Topology;
import io.streamprocessor.transport.TestServer.Reply;
import io.streamprocessor.transport.http.ServerSettings;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.streamprocessor.transport.EventText.T0;
import static io.streamprocessor.transport.EventText.batch;
import static io.streamprocessor.transport.EventText.event;
import static io.streamprocessor.transport.EventText.events;
import static io.streamprocessor.transport.Json.longAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stopping drains: whatever was accepted is processed and answered, in-process and as a real process on SIGTERM. */
class GracefulShutdownTest {
    private static final Pattern LISTENING = Pattern.compile("stream-processor listening on http://127\\.0\\.0\\.1:(\\d+) ");

    /** Repeated: a response lost at shutdown was a race, not every run showed it. */
    @RepeatedTest(3)
    void requestsInFlightAtCloseAreAllAnsweredAndProcessed() throws Exception {
        CountingSink gate = CountingSink.gated();
        // A stage thread of its own is what lets a gated sink hold requests in flight; in the inline
        // topology the I/O thread itself would wait at the gate.
        TestServer s = TestServer.start(StreamProcessor.builder().topology(Topology.SINGLE).ringSize(1024).addSink(gate),
            ServerSettings.defaults().withLimits(1 << 20, 100, 64L << 20));
        Thread closer = new Thread(s::close, "test-closer");
        try {
            List<CompletableFuture<Reply>> singles = new ArrayList<>();
            List<CompletableFuture<Reply>> batches = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                singles.add(s.sendAsync("POST", "/events", event("metric", "c" + i, T0 + i, i)));
            }
            for (int i = 0; i < 10; i++) {
                batches.add(s.sendAsync("POST", "/events/batch", batch(events(20, "log", "b" + i, T0, i))));
            }
            int events = 30 + 10 * 20;
            TestServer.awaitTrue("every request to be taken into the ring", Duration.ofSeconds(20),
                () -> s.processor.ringUsed() == events);

            closer.start();
            TestServer.awaitTrue("the server to stop accepting connections", Duration.ofSeconds(20),
                () -> !accepts(s.port()));
            gate.open();
            closer.join(20_000);
            assertTrue(!closer.isAlive(), "close() returned");

            for (CompletableFuture<Reply> f : singles) {
                Reply r = f.get(10, TimeUnit.SECONDS);
                assertEquals(Map.of("success", true, "message", "Event processed"), r.json());
            }
            for (CompletableFuture<Reply> f : batches) {
                assertEquals(Map.of("total", 20L, "processed", 20L, "filtered", 0L), f.get(10, TimeUnit.SECONDS).json());
            }
            assertEquals(events, gate.count(), "every acknowledged event reached the sink");
        } finally {
            gate.open();
            if (!closer.isAlive()) {
                s.close(); // idempotent when the closer already ran; the cleanup when the test failed early
            }
            closer.join(20_000);
        }
    }

    @Test
    void closingTwiceIsHarmless() {
        TestServer s = TestServer.start();
        s.post("/events", event("metric", "a", T0, 1)).assertStatus(200);
        s.close();
        s.close();
        assertTrue(!accepts(s.port()), "closed");
    }

    private static boolean accepts(int port) {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ the launcher as a process

    private static ProcessBuilder launcher(String... args) {
        List<String> cmd = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"),
            Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    /** A process stream read line by line on a daemon thread. */
    private static final class Output {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final StringBuffer all = new StringBuffer();
        final Thread reader;

        Output(InputStream in) {
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        all.append(line).append('\n');
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "test-process-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** Everything, once the process has closed the stream. */
        String toEnd() throws InterruptedException {
            reader.join(10_000);
            return all.toString();
        }

        @Override
        public String toString() {
            return all.toString();
        }
    }

    @Test
    void launcherServesThenDrainsOnSigtermAndExitsZero() throws Exception {
        Process p = launcher("--port", "0").start();
        Output out = new Output(p.getInputStream());
        Output err = new Output(p.getErrorStream());
        try {
            String first = out.lines.poll(30, TimeUnit.SECONDS);
            assertNotNull(first, "no banner within 30 s; stderr: " + err);
            Matcher m = LISTENING.matcher(first);
            assertTrue(m.find(), "banner: " + first);
            URI base = URI.create("http://127.0.0.1:" + m.group(1));

            assertEquals(200, post(base, "/events", event("metric", "a", T0, 1)).statusCode());
            assertEquals(200, post(base, "/events/batch", batch(events(10, "metric", "a", T0, 1))).statusCode());
            HttpResponse<String> stats = TestServer.CLIENT.send(HttpRequest.newBuilder(base.resolve("/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(11L, longAt(Json.object(stats.body()), "stats.totalProcessed"));

            // SIGTERM, as Process.destroy() sends it; through the handle, which unlike Process.destroy()
            // leaves the output pipes open so that the last lines can still be read.
            p.toHandle().destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exited within 30 s of SIGTERM; stdout: " + out);
            assertEquals(0, p.exitValue(), "exit code; stderr: " + err);
            String printed = out.toEnd();
            assertTrue(printed.contains("draining") && printed.contains("stopped"), printed + " / stderr: " + err.toEnd());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void sigtermRightAfterTheBannerStillDrainsAndExitsZero() throws Exception {
        Process p = launcher("--port", "0").start();
        Output out = new Output(p.getInputStream());
        Output err = new Output(p.getErrorStream());
        try {
            assertNotNull(out.lines.poll(30, TimeUnit.SECONDS), "no banner within 30 s; stderr: " + err);
            p.toHandle().destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exited within 30 s of SIGTERM");
            assertEquals(0, p.exitValue(), "the banner promises a drain on SIGTERM; stderr: " + err);
            assertTrue(out.toEnd().contains("stopped"), out.toString());
        } finally {
            p.destroyForcibly();
        }
    }

    private static HttpResponse<String> post(URI base, String path, String body) throws Exception {
        return TestServer.CLIENT.send(HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Runs the launcher to its end; returns {exit code, stdout, stderr}. */
    private static Object[] run(String... args) throws Exception {
        Process p = launcher(args).start();
        Output out = new Output(p.getInputStream());
        Output err = new Output(p.getErrorStream());
        try {
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "launcher " + String.join(" ", args) + " did not exit");
            return new Object[] {p.exitValue(), out.toEnd(), err.toEnd()};
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void helpListsTheOptionsAndExitsZero() throws Exception {
        Object[] r = run("--help");
        assertEquals(0, r[0], "stderr: " + r[2]);
        String out = (String) r[1];
        for (String option : List.of("--host", "--port", "--event-loops", "--help")) {
            assertTrue(out.contains(option), option + " listed in: " + out);
        }
    }

    @Test
    void unknownFlagOrBadValueExitsTwoWithAMessage() throws Exception {
        Object[] unknown = run("--bogus");
        assertEquals(2, unknown[0]);
        assertTrue(((String) unknown[2]).contains("--bogus"), "names the flag: " + unknown[2]);

        Object[] badPort = run("--port", "eighty");
        assertEquals(2, badPort[0]);
        assertTrue(((String) badPort[2]).contains("--port"), "names the flag: " + badPort[2]);

        Object[] missing = run("--port");
        assertEquals(2, missing[0]);
        assertTrue(((String) missing[2]).contains("--port"), missing[2].toString());
    }
}
