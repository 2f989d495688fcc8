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
            ServerSettings.builder().maxBodyBytes(1 << 20).maxBatchEvents(100).maxBufferedBodyBytes(64L << 20));
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

    @Test
    void launcherServesThenDrainsOnSigtermAndExitsZero() throws Exception {
        Process p = Launcher.command("--port", "0").start();
        Launcher.Output out = new Launcher.Output(p.getInputStream());
        Launcher.Output err = new Launcher.Output(p.getErrorStream());
        try {
            String first = err.lines.poll(30, TimeUnit.SECONDS);
            assertNotNull(first, "no banner on stderr within 30 s; stdout: " + out);
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
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exited within 30 s of SIGTERM; stderr: " + err);
            assertEquals(0, p.exitValue(), "exit code; stderr: " + err);
            String printed = err.toEnd();
            assertTrue(printed.contains("draining") && printed.contains("stopped"), printed + " / stdout: " + out.toEnd());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void sigtermRightAfterTheBannerStillDrainsAndExitsZero() throws Exception {
        Process p = Launcher.command("--port", "0").start();
        Launcher.Output out = new Launcher.Output(p.getInputStream());
        Launcher.Output err = new Launcher.Output(p.getErrorStream());
        try {
            assertNotNull(err.lines.poll(30, TimeUnit.SECONDS), "no banner on stderr within 30 s; stdout: " + out);
            p.toHandle().destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exited within 30 s of SIGTERM");
            assertEquals(0, p.exitValue(), "the banner promises a drain on SIGTERM; stderr: " + err);
            assertTrue(err.toEnd().contains("stopped"), err.toString());
        } finally {
            p.destroyForcibly();
        }
    }

    private static HttpResponse<String> post(URI base, String path, String body) throws Exception {
        return TestServer.CLIENT.send(HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void helpListsTheOptionsAndExitsZero() throws Exception {
        Launcher.Result r = Launcher.run("--help");
        assertEquals(0, r.exitCode(), "stderr: " + r.stderr());
        String out = r.stdout();
        for (String option : List.of("--host", "--port", "--event-loops", "--help")) {
            assertTrue(out.contains(option), option + " listed in: " + out);
        }
    }

    @Test
    void unknownFlagOrBadValueExitsTwoWithAMessage() throws Exception {
        Launcher.Result unknown = Launcher.run("--bogus");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.stderr().contains("--bogus"), "names the flag: " + unknown.stderr());

        Launcher.Result badPort = Launcher.run("--port", "eighty");
        assertEquals(2, badPort.exitCode());
        assertTrue(badPort.stderr().contains("--port"), "names the flag: " + badPort.stderr());

        Launcher.Result missing = Launcher.run("--port");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.stderr().contains("--port"), missing.stderr());
    }
}
