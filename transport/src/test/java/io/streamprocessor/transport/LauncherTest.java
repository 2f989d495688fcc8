package io.streamprocessor.transport;

import io.streamprocessor.engine.pipeline.ProcessorSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.streamprocessor.transport.EventText.T0;
import static io.streamprocessor.transport.EventText.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher as a person or a script meets it: one line on stderr for what went wrong, naming
 * the setting to change and never an exception; stdout for data and for what was asked for.
 */
class LauncherTest {
    private static final Pattern LISTENING = Pattern.compile("^stream-processor listening on http://127\\.0\\.0\\.1:(\\d+) \\(");

    @TempDir
    Path dir;

    /**
     * One line on stderr and nothing of Java's: a mistake on the command line (exit 2) as a plain line
     * followed by the hint, a server that cannot start (exit 1) as a logged ERROR; returns the message.
     */
    private static String problem(Launcher.Result r, int exitCode) {
        assertEquals(exitCode, r.exitCode(), "exit code; stderr: " + r.stderr());
        assertEquals("", r.stdout(), "nothing on stdout");
        List<String> lines = r.stderr().lines().toList();
        String first = exitCode == 1 ? LogLines.at("ERROR", lines.get(0)) : lines.get(0);
        assertTrue(first.startsWith("stream-processor: "), r.stderr());
        if (exitCode == 2) {
            assertEquals(List.of(first, "Try --help."), lines);
        }
        for (String internal : List.of("Exception", "Error", "\tat ", "null")) {
            assertFalse(r.stderr().contains(internal), "no '" + internal + "' in: " + r.stderr());
        }
        return first;
    }

    @TempDir
    Path journalRoot;

    @Test
    void versionPrintsTheProjectVersionOnStdout() throws Exception {
        Launcher.Result r = Launcher.run("--version");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().matches("stream-processor \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n"), r.stdout());
        assertEquals("", r.stderr());
    }

    @Test
    void aHostThatDoesNotResolveIsNamedWithTheSettingToChange() throws Exception {
        String host = "nosuchhost.invalid"; // .invalid never resolves (RFC 6761)
        String line = problem(Launcher.run("--host", host, "--port", "8000"), 1);
        assertEquals("stream-processor: cannot listen on nosuchhost.invalid:8000: the host name does not resolve; "
            + "set server.host to a name or address of this machine (such as 127.0.0.1, or 0.0.0.0 for every "
            + "interface)", line);
    }

    @Test
    void aJournalDirectoryThatIsAFileOrInUseIsNamedAndNothingStarts() throws Exception {
        Path file = java.nio.file.Files.writeString(journalRoot.resolve("not-a-directory"), "x");
        String line = problem(Launcher.run("--port", "0", "--journal.dir", file.toString()), 1);
        assertEquals("stream-processor: cannot start: cannot create the journal directory " + file
            + ": a file of that name is in the way", line);

        Path shared = journalRoot.resolve("shared");
        try (RunningLauncher first = RunningLauncher.start(List.of("--port", "0", "--journal.dir", shared.toString()))) {
            String second = problem(Launcher.run("--port", "0", "--journal.dir", shared.toString()), 1);
            assertEquals("stream-processor: cannot start: the journal directory " + shared + " is in use by another "
                + "running server; give each server a journal.dir of its own", second);
        }
    }

    @Test
    void aPortInUseIsNamedWithTheSettingToChange() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            String line = problem(Launcher.run("--port", String.valueOf(port)), 1);
            assertEquals("stream-processor: cannot listen on 127.0.0.1:" + port + ": the port is in use by another "
                + "process; set server.port to a free port (0 picks one)", line);
        }
    }

    @Test
    void aRingTheHeapCannotHoldStopsStartupWithWhatItNeeds() throws Exception {
        long needMiB = ProcessorSettings.ringHeapBytes(1 << 20) >> 20;
        String line = problem(Launcher.run("--processor.ring-size", "1048576"), 2);
        assertTrue(line.startsWith("stream-processor: flag --processor.ring-size: processor.ring-size: 1048576 slots "
            + "need about " + needMiB + " MiB of heap, more than half of the heap limit of "), line);
        assertTrue(line.endsWith("; allowed: at most 131072 slots with this heap, or a larger heap: -Xmx2g or more "
            + "(for bin/stream-processor: JAVA_OPTS=\"-Xmx2g\")"), line);
    }

    @Test
    void aDirectoryGivenAsTheConfigurationFile() throws Exception {
        String line = problem(Launcher.run("--config", dir.toString()), 2);
        assertEquals("stream-processor: " + dir + ": is a directory, not a configuration file", line);
    }

    @Test
    void aKnownVariableWithABadValueStillStopsStartup() throws Exception {
        String line = problem(Launcher.run(Map.of("SP_SERVER_PORT", "tcp://10.0.0.7:8000")), 2);
        assertEquals("stream-processor: environment SP_SERVER_PORT: server.port: 'tcp://10.0.0.7:8000' is not allowed; "
            + "expected a whole number from 0 to 65535", line);
    }

    /**
     * An orchestrator's own SP_ variable is a warning; stdout then carries nothing but the console
     * sink's JSON lines, and every line about the server itself is on stderr.
     */
    @Test
    void stdoutCarriesOnlyTheConsoleSinksLinesAndUnknownVariablesAreWarnings() throws Exception {
        Process p = Launcher.command(Map.of("SP_PORT", "tcp://10.0.0.7:8000"), "--port", "0", "--sinks", "console")
            .start();
        Launcher.Output out = new Launcher.Output(p.getInputStream());
        Launcher.Output err = new Launcher.Output(p.getErrorStream());
        try {
            assertEquals("stream-processor: environment SP_PORT is not a setting; did you mean "
                + "SP_SERVER_PORT? (ignored)", LogLines.at("WARN", err.next()), "stdout: " + out);
            String banner = err.next();
            assertNotNull(banner, "no banner on stderr; stdout: " + out);
            Matcher m = LISTENING.matcher(LogLines.at("INFO", banner));
            assertTrue(m.find(), "banner: " + banner);
            URI base = URI.create("http://127.0.0.1:" + m.group(1));
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = TestServer.CLIENT.send(HttpRequest.newBuilder(base.resolve("/events"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(event("metric", "web-" + i, T0, i))).build(),
                    HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
            }
            p.toHandle().destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exited within 30 s of SIGTERM; stderr: " + err);
            assertEquals(0, p.exitValue(), "stderr: " + err);

            List<String> lines = out.toEnd().lines().toList();
            assertEquals(3, lines.size(), "one line per event and nothing else: " + lines);
            for (int i = 0; i < 3; i++) {
                Map<String, Object> event = Json.object(lines.get(i));
                assertEquals("web-" + i, event.get("source"), lines.get(i));
            }
            List<String> said = err.toEnd().lines().toList();
            assertEquals(4, said.size(), "the warning, the banner, draining and stopped, and nothing else: " + said);
            assertEquals("stream-processor: draining", LogLines.at("INFO", said.get(2)));
            assertEquals("stream-processor: stopped", LogLines.at("INFO", said.get(3)));
        } finally {
            p.destroyForcibly();
        }
    }
}
