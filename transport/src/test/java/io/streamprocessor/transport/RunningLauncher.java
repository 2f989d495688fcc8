package io.streamprocessor.transport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Test helper: the launcher as a separate process, started and waited for until its banner says it
 * accepts events, with an HTTP client of its own (a killed process leaves the client's pooled
 * connections dead, so each process gets a fresh client). Used from the test thread and the
 * client threads of one test; {@link #post} and {@link #get} are thread-safe.
 */
final class RunningLauncher implements AutoCloseable {
    static final Pattern LISTENING = Pattern.compile("stream-processor listening on http://127\\.0\\.0\\.1:(\\d+) ");

    final Process process;
    final Launcher.Output out;
    final Launcher.Output err;
    /** The standard error lines printed before the banner, in order. */
    final List<String> beforeBanner;
    final URI base;
    final HttpClient http;

    private RunningLauncher(Process process, Launcher.Output out, Launcher.Output err, List<String> beforeBanner, URI base) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.beforeBanner = beforeBanner;
        this.base = base;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Starts the launcher with {@code args} and waits (at most 60 s) for its banner on standard error. */
    static RunningLauncher start(List<String> args) throws IOException, InterruptedException {
        Process p = Launcher.command(args.toArray(String[]::new)).start();
        Launcher.Output out = new Launcher.Output(p.getInputStream());
        Launcher.Output err = new Launcher.Output(p.getErrorStream());
        List<String> before = new ArrayList<>();
        try {
            Matcher m = LISTENING.matcher(awaitLine(p, out, err, line -> LISTENING.matcher(line).find(), before));
            assertTrue(m.find());
            return new RunningLauncher(p, out, err, before, URI.create("http://127.0.0.1:" + m.group(1)));
        } catch (Throwable t) {
            p.destroyForcibly();
            throw t;
        }
    }

    /**
     * Starts the launcher with {@code args} and SIGKILLs it the moment it logs a line on standard error
     * whose message starts with {@code prefix}; returns its exit code.
     */
    static int startAndKillAt(List<String> args, String prefix) throws IOException, InterruptedException {
        Process p = Launcher.command(args.toArray(String[]::new)).start();
        Launcher.Output out = new Launcher.Output(p.getInputStream());
        Launcher.Output err = new Launcher.Output(p.getErrorStream());
        try {
            awaitLine(p, out, err, line -> LogLines.message(line) != null && LogLines.message(line).startsWith(prefix),
                new ArrayList<>());
        } finally {
            p.destroyForcibly();
        }
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the launcher still runs 10 s after SIGKILL");
        return p.exitValue();
    }

    /** The first line of standard error that {@code wanted} accepts, within 60 s; the lines before it go to {@code before}. */
    private static String awaitLine(Process p, Launcher.Output out, Launcher.Output err, Predicate<String> wanted,
                                    List<String> before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            String line = err.lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                if (wanted.test(line)) {
                    return line;
                }
                before.add(line);
            } else if (!p.isAlive()) {
                err.reader.join(5_000);
                if (err.lines.isEmpty()) {
                    fail("the launcher exited with code " + p.exitValue() + " before the line awaited; stderr:\n" + err
                        + "stdout:\n" + out);
                }
            } else if (System.nanoTime() > deadline) {
                fail("the line awaited did not come within 60 s; stderr so far:\n" + err);
            }
        }
    }

    /** GET {@code path}, which must answer 200 with a JSON object. */
    Map<String, Object> get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), "GET " + path + ": " + r.body());
        return Json.object(r.body());
    }

    /** POST {@code body} as JSON to {@code path}; an IOException means no answer came (the process may be gone). */
    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    /** SIGKILL ({@code destroyForcibly} on Linux); returns once the process is gone, with its exit code. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "the launcher still runs 10 s after SIGKILL");
        return process.exitValue();
    }

    /** SIGTERM (through the handle, as a service manager sends it); returns the exit code, within 60 s. */
    int terminate() throws InterruptedException {
        process.toHandle().destroy();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the launcher still runs 60 s after SIGTERM; stderr:\n" + err);
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
