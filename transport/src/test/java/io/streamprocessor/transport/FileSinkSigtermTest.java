package io.streamprocessor.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The "done when": a file sink declared in the configuration file receives every accepted
 * event, whole, exactly once, by the time the launcher, SIGTERM'd while clients are still posting,
 * has exited. The launcher runs as a process of its own, as a user runs it.
 */
class FileSinkSigtermTest {
    private static final Pattern LISTENING = Pattern.compile("stream-processor listening on http://127\\.0\\.0\\.1:(\\d+) ");
    private static final Pattern ID = Pattern.compile("^\\{\"id\":\"(c\\d+-\\d+)\",");

    @TempDir
    Path dir;

    @Test
    void aSigtermdServerHasWrittenEveryAcceptedEventWholeExactlyOnceWhenItExits() throws Exception {
        Path file = dir.resolve("out/events.ndjson");
        Path yaml = dir.resolve("stream-processor.yaml");
        Files.writeString(yaml, "sinks:\n  - type: file\n    path: " + file + "\n");
        Process p = Launcher.command("--config", yaml.toString(), "--port", "0").start();
        Launcher.Output out = new Launcher.Output(p.getInputStream());
        Launcher.Output err = new Launcher.Output(p.getErrorStream());
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            String banner = err.next();
            assertNotNull(banner, "no banner within 30 s; stdout: " + out);
            Matcher m = LISTENING.matcher(banner);
            assertTrue(m.find(), banner);
            URI base = URI.create("http://127.0.0.1:" + m.group(1));

            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            Set<String> unknown = ConcurrentHashMap.newKeySet(); // sent, but no answer seen: either outcome is right
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger refused = new AtomicInteger();
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                running.add(clients.submit(() -> post(base, client, acknowledged, unknown, refused, stop)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (acknowledged.size() < 20_000 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000); // a pause between polls of the clients' progress
            }
            assertTrue(acknowledged.size() >= 1_000, "clients got going: " + acknowledged.size());

            p.toHandle().destroy(); // SIGTERM, with the clients still posting
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "exited within 60 s of SIGTERM; stderr: " + err);
            stop.set(true);
            for (Future<?> f : running) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(0, p.exitValue(), "stderr: " + err.toEnd());

            List<String> ids = new ArrayList<>();
            try (Stream<Path> files = Files.list(file.getParent())) {
                for (Path f : files.sorted().toList()) {
                    String text = Files.readString(f, StandardCharsets.UTF_8);
                    assertTrue(text.isEmpty() || text.endsWith("\n"), f + ": torn last line");
                    for (String line : text.split("\n")) {
                        if (line.isEmpty()) {
                            continue;
                        }
                        Matcher id = ID.matcher(line);
                        assertTrue(id.find() && line.endsWith("}}"), "a whole event: " + line);
                        ids.add(id.group(1));
                    }
                }
            }
            Set<String> inFile = new HashSet<>(ids);
            assertEquals(ids.size(), inFile.size(), "no event twice");
            Set<String> missing = new HashSet<>(acknowledged);
            missing.removeAll(inFile);
            assertEquals(Set.of(), missing, "every acknowledged (200) event is in the file");
            Set<String> extra = new HashSet<>(inFile);
            extra.removeAll(acknowledged);
            extra.removeAll(unknown);
            assertEquals(Set.of(), extra, "nothing refused is in the file");
        } finally {
            clients.shutdownNow();
            p.destroyForcibly();
        }
    }

    /** Posts batches of 50 and single events until told to stop or the server is gone. */
    private static Void post(URI base, int client, Set<String> acknowledged, Set<String> unknown, AtomicInteger refused,
                             AtomicBoolean stop) {
        int n = 0;
        while (!stop.get()) {
            boolean single = n % 7 == 0;
            int count = single ? 1 : 50;
            List<String> ids = new ArrayList<>();
            StringJoiner batch = new StringJoiner(",", "[", "]");
            for (int i = 0; i < count; i++) {
                String id = "c" + client + "-" + n++;
                ids.add(id);
                batch.add("{\"id\":\"" + id + "\",\"type\":\"metric\",\"source\":\"web-é-传\",\"timestamp\":"
                    + (EventText.T0 + n) + ",\"data\":{\"value\":" + n + ",\"nested\":{\"a\":[1,2.50,\"🚀\"]}}}");
            }
            String body = single ? batch.toString().substring(1, batch.toString().length() - 1) : batch.toString();
            try {
                HttpResponse<String> r = TestServer.CLIENT.send(HttpRequest.newBuilder(base.resolve(single ? "/events" : "/events/batch"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    acknowledged.addAll(ids);
                } else {
                    refused.incrementAndGet(); // 503 while draining: not taken, so not to be in the file
                }
            } catch (IOException e) {
                unknown.addAll(ids);
                if (e instanceof java.net.ConnectException) {
                    return null; // the server is gone
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }
}
