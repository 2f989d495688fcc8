package io.streamprocessor.transport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test helper: the launcher {@link Main} as a separate process, with a 256 MiB heap, and its two streams. */
final class Launcher {
    private Launcher() {
    }

    /** Where the launchers' journals go; removed when the test JVM exits, so runs leave no journals behind. */
    private static final Path JOURNALS = journalsRoot();

    private static Path journalsRoot() {
        try {
            Path root = Files.createTempDirectory("sp-test-journals");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (Stream<Path> all = Files.walk(root)) {
                    all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException | UncheckedIOException e) {
                    // best effort: the temporary directory is the system's to clean up then
                }
            }));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command, without an environment of its own beyond the test's plus {@code env}. */
    static ProcessBuilder command(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"),
            Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(cmd);
        b.environment().keySet().removeIf(k -> k.startsWith("SP_"));
        if (!env.containsKey("SP_JOURNAL_DIR") && Arrays.stream(args).noneMatch(a -> a.startsWith("--journal."))) {
            // Each launcher a journal of its own, outside the module: one test's events are not another's.
            try {
                b.environment().put("SP_JOURNAL_DIR", Files.createTempDirectory(JOURNALS, "journal").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        b.environment().putAll(env);
        return b;
    }

    static ProcessBuilder command(String... args) {
        return command(Map.of(), args);
    }

    /** What a finished launcher left: its exit code and everything it wrote. */
    record Result(int exitCode, String stdout, String stderr) {
    }

    /** Runs the launcher to its end (at most 30 s). */
    static Result run(Map<String, String> env, String... args) throws Exception {
        Process p = command(env, args).start();
        Output out = new Output(p.getInputStream());
        Output err = new Output(p.getErrorStream());
        try {
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "launcher " + String.join(" ", args) + " did not exit");
            return new Result(p.exitValue(), out.toEnd(), err.toEnd());
        } finally {
            p.destroyForcibly();
        }
    }

    static Result run(String... args) throws Exception {
        return run(Map.of(), args);
    }

    /** A process stream read line by line on a daemon thread. */
    static final class Output {
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

        /** The next line, waiting at most 30 s; null when none came. */
        String next() throws InterruptedException {
            return lines.poll(30, TimeUnit.SECONDS);
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
}
