package io.streamprocessor.perf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server JVM started for a scenario, with the launcher's recommended flags, and stopped
 * (SIGTERM, drained) afterwards: the real server on a fresh journal, or a perf baseline.
 */
final class ScenarioServer implements AutoCloseable {
    /** The flags {@code bin/stream-processor} starts the server with. */
    static final String FLAGS = "-Xms32m -Xmx128m -XX:+UseSerialGC";

    final String name;
    final int port;
    final Process process;
    /** The journal directory made for this server, deleted when it stops; null if none. */
    private Path journal;

    private ScenarioServer(String name, int port, Process process) {
        this.name = name;
        this.port = port;
        this.process = process;
    }

    static ScenarioServer real(Path root, int port, String extraFlags) throws IOException, InterruptedException {
        return withFlags(root, port, extraFlags.isEmpty() ? FLAGS : FLAGS + " " + extraFlags, "");
    }

    /** The real server with these JVM flags instead of the recommended ones, and these server flags. */
    static ScenarioServer withFlags(Path root, int port, String jvmFlags, String serverFlags)
        throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("java"));
        cmd.addAll(List.of(jvmFlags.trim().split(" +")));
        // a journal of its own per start, so a run never replays an earlier one's events
        Path journal = Files.createTempDirectory("sp-journal");
        cmd.addAll(List.of("-jar", root.resolve("transport/target/stream-processor.jar").toString(),
            "--port", String.valueOf(port), "--journal.dir", journal.toString()));
        if (!serverFlags.isBlank()) {
            cmd.addAll(List.of(serverFlags.trim().split(" +")));
        }
        try {
            ScenarioServer server = start("server", port, cmd);
            server.journal = journal;
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            TempDirs.deleteTree(journal);
            throw e;
        }
    }

    static ScenarioServer baseline(Path root, String mode, int port) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("java"));
        cmd.addAll(List.of(FLAGS.split(" ")));
        cmd.addAll(List.of("-cp", root.resolve("perf/target/benchmarks.jar").toString(),
            "io.streamprocessor.perf.baseline.BaselineServer", mode, String.valueOf(port)));
        return start(mode + " baseline", port, cmd);
    }

    private static ScenarioServer start(String name, int port, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.contains("listening on")) {
                        Thread drain = new Thread(() -> {
                            try {
                                while (out.readLine() != null) {
                                    // keep the pipe from filling
                                }
                            } catch (IOException ignored) {
                                // process gone
                            }
                        });
                        drain.setDaemon(true);
                        drain.start();
                        return true;
                    }
                }
            } catch (IOException e) {
                return false;
            }
            return false;
        });
        Boolean ok = ready.completeOnTimeout(false, 30, TimeUnit.SECONDS).join();
        if (!ok) {
            p.destroyForcibly();
            throw new IOException(name + " did not start: " + cmd);
        }
        waitHealthy(port);
        return new ScenarioServer(name, port, p);
    }

    private static void waitHealthy(int port) throws InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 50; i++) {
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() > 0) {
                    return;
                }
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
    }

    /** Heap in use after {@code jcmd GC.run}, as the server's own {@code /health} reports it. */
    String heapAfterGc() {
        try {
            Process gc = new ProcessBuilder("jcmd", String.valueOf(process.pid()), "GC.run")
                .redirectErrorStream(true).start();
            gc.getInputStream().readAllBytes();
            gc.waitFor(30, TimeUnit.SECONDS);
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
            Matcher m = Pattern.compile("\"heapUsed\":(\\d+)").matcher(r.body());
            return m.find() ? (Long.parseLong(m.group(1)) >> 20) + " MB" : "unknown (" + r.body() + ")";
        } catch (IOException | InterruptedException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** Seconds since the server's JVM started, as its GC log stamps them. */
    double uptimeSeconds() {
        return process.info().startInstant()
            .map(start -> java.time.Duration.between(start, java.time.Instant.now()).toMillis() / 1000.0)
            .orElse(0.0);
    }

    long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException, IOException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        if (journal != null) {
            TempDirs.deleteTree(journal);
        }
    }
}
