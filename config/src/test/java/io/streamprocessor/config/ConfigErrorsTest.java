package io.streamprocessor.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.streamprocessor.engine.pipeline.ProcessorSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every configuration mistake stops loading with one line naming where (file and line, variable
 * or flag), the key, the problem and what is allowed.
 */
class ConfigErrorsTest {
    @TempDir
    Path dir;

    private String fileName;

    @org.junit.jupiter.api.BeforeEach
    void name() {
        fileName = dir.resolve("stream-processor.yaml").toString();
    }

    private String load(String yaml) throws IOException {
        Files.writeString(Path.of(fileName), yaml);
        return message(new String[] {"--config", fileName}, Map.of());
    }

    private static String message(String[] args, Map<String, String> env) {
        return message(args, env, Runtime.getRuntime().maxMemory());
    }

    private static String message(String[] args, Map<String, String> env, long maxHeapBytes) {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.load(args, env, maxHeapBytes));
        String m = e.getMessage();
        assertFalse(m.contains("\n"), "one line: " + m);
        assertFalse(m.contains("Exception") || m.contains("\tat "), "no Java in it: " + m);
        assertEquals(0, e.getStackTrace().length, "no stack trace to print");
        return m;
    }

    @Test
    void slideThatDoesNotDivideTheSize() throws IOException {
        String m = load("""
            # windows
            window:
              size: 60s
              slide: 7s
            """);
        assertEquals(fileName + ":4: window.slide: 7s does not divide window.size 60s; "
            + "the size must be a whole multiple of the slide", m);
    }

    @Test
    void sizeThatIsNotAMultipleOfTheDefaultSlide() throws IOException {
        String m = load("window:\n  size: 45s\n");
        assertEquals(fileName + ":2: window.size: 45s is not a multiple of window.slide 10s (the default); "
            + "the size must be a whole multiple of the slide", m);
    }

    @Test
    void slideFromTheEnvironmentIsNamedByItsVariable() {
        String m = message(new String[0], Map.of("SP_WINDOW_SLIDE", "7s"));
        assertEquals("environment SP_WINDOW_SLIDE: window.slide: 7s does not divide window.size 60s (the default); "
            + "the size must be a whole multiple of the slide", m);
    }

    @Test
    void unknownKeyInASection() throws IOException {
        String m = load("server:\n  port: 8000\n  prot: 9000\n");
        assertEquals(fileName + ":3: server.prot: unknown setting; did you mean port?; allowed in server: host, port, "
            + "event-loops, max-body-size, max-batch-events, max-pending-per-connection, max-buffered-body, "
            + "request-timeout, idle-timeout, overload-delay, max-initial-line, max-header-size", m);
    }

    @Test
    void unknownSection() throws IOException {
        String m = load("windows:\n  size: 60s\n");
        assertEquals(fileName + ":1: windows: unknown section; did you mean window?; allowed: server, processor, "
            + "window, events, cardinality, pipeline, sinks", m);
    }

    @Test
    void wrongTypeOfValue() throws IOException {
        assertEquals(fileName + ":2: server.port: 'eighty' is not allowed; expected a whole number from 0 to 65535",
            load("server:\n  port: eighty\n"));
        assertEquals(fileName + ":2: server.port: 70000 is out of range; allowed: 0 to 65535",
            load("server:\n  port: 70000\n"));
        assertEquals(fileName + ":3: server.port: expected a whole number from 0 to 65535, got a list",
            load("server:\n  port:\n    - 1\n"));
        assertEquals(fileName + ":1: window: expected settings (size, slide, retention), got '60s'",
            load("window: 60s\n"));
        assertTrue(load("window:\n  size: 60\n").startsWith(fileName + ":2: window.size: '60' is not a duration "
            + "(a unit is needed: 60 what? write 60s or 60ms)"));
        assertTrue(load("processor:\n  ring-size: 1000\n").startsWith(fileName
            + ":2: processor.ring-size: 1000 is not a power of two; allowed: a power of two from 2 to"));
        assertEquals(fileName + ":2: processor.topology: 'fast' is not allowed; allowed: auto, inline, single, fused, "
            + "per-stage", load("processor:\n  topology: fast\n"));
        assertEquals(fileName + ":2: window.size: no value; expected a duration with a unit (ms, s, m, h, d) such "
            + "as 60s, from 1ms to 366d", load("window:\n  size:\n"));
        assertTrue(load("events:\n  value-path: data..x\n").startsWith(fileName
            + ":2: events.value-path: 'data..x' is not a member path"));
    }

    @Test
    void wrongTypeInTheEnvironmentAndOnTheCommandLine() {
        assertEquals("environment SP_SERVER_PORT: server.port: 'x' is not allowed; expected a whole number from 0 "
            + "to 65535", message(new String[0], Map.of("SP_SERVER_PORT", "x")));
        assertEquals("flag --port: server.port: -1 is out of range; allowed: 0 to 65535",
            message(new String[] {"--port", "-1"}, Map.of()));
        assertTrue(message(new String[] {"--server.max-body-size", "16 furlongs"}, Map.of())
            .startsWith("flag --server.max-body-size: server.max-body-size: '16 furlongs' is not allowed; expected "
                + "a size such as 16MiB"));
    }

    @Test
    void badExpression() throws IOException {
        String m = load("""
            pipeline:
              - filter: data.value > 0
              - filter: data.value >> 0
            """);
        assertEquals(fileName + ":3: pipeline[1].filter: expected a value (a number, a string, a name such as "
            + "data.value, a function call or '('), found '>' (at character 13 of \"data.value >> 0\")", m);
        assertEquals(fileName + ":3: pipeline[0].set.normalized: \"100\" is a string, not a number; / works on "
            + "numbers only (at character 14 of \"data.value / '100'\")",
            load("pipeline:\n  - set:\n      normalized: data.value / '100'\n      x: 1\n"));
        assertTrue(load("pipeline:\n  - filter: value > 0\n")
            .startsWith(fileName + ":2: pipeline[0].filter: unknown name 'value'; the names are type, source, "
                + "timestamp, receivedAt and data.<member> (did you mean data.value?"));
        assertTrue(load("pipeline:\n  - set:\n      type: '\"x\"'\n")
            .startsWith(fileName + ":3: pipeline[0].set.type: 'type' is a field of the event, not a member of data"));
    }

    @Test
    void unknownSinkType() throws IOException {
        assertEquals(fileName + ":3: sinks[1].type: unknown sink type 'pigeon'; allowed: console, metrics, file, kafka, postgres",
            load("sinks:\n  - type: console\n  - type: pigeon\n"));
        assertEquals(fileName + ":2: sinks[0].type: unknown sink type 'consol'; did you mean console?; allowed: "
            + "console, metrics, file, kafka, postgres", load("sinks:\n  - consol\n"));
        assertEquals("environment SP_SINKS: sinks: unknown sink type 'pigeon'; allowed: console, metrics, file, kafka, "
            + "postgres (comma-separated), or none", message(new String[0], Map.of("SP_SINKS", "console,pigeon")));
        assertEquals(fileName + ":2: sinks[0].path: unknown setting of a console sink; allowed: name, sample-rate",
            load("sinks:\n  - path: /tmp/x\n    type: console\n"));
    }

    @Test
    void aSinkWithoutARequiredSettingOrWithSettingsThatDoNotFitTogetherIsNamed() throws IOException {
        assertEquals(fileName + ":2: sinks[0].url: required for a postgres sink: jdbc:postgresql://host:port/database "
            + "(driver parameters allowed, a password is not)", load("sinks:\n  - type: postgres\n    table: t\n"));
        assertTrue(load("sinks:\n  - type: postgres\n    url: jdbc:mysql://db/app\n")
            .startsWith(fileName + ":2: sinks[0]: url: jdbc:mysql://db/app is not a PostgreSQL JDBC URL"));
        assertTrue(load("sinks:\n  - type: postgres\n    url: jdbc:postgresql://db/app?password=secret\n")
            .contains("must not contain a password"));
        assertEquals("environment SP_SINKS: sinks: a postgres sink needs settings; declare it under sinks: in the "
            + "configuration file (--config)", message(new String[0], Map.of("SP_SINKS", "postgres")));
    }

    @Test
    void aSinkSettingIsReadByItsOwnRulesAndNamedWhereItIsWrong() throws IOException {
        assertEquals(fileName + ":3: sinks[0].sample-rate: '2' is not allowed; expected a number above 0 and at most 1, "
            + "such as 0.01", load("sinks:\n  - type: console\n    sample-rate: 2\n"));
        assertEquals(fileName + ":3: sinks[0].sample-rat: unknown setting of a console sink; did you mean sample-rate?; "
            + "allowed: name, sample-rate", load("sinks:\n  - type: console\n    sample-rat: 0.5\n"));
        assertEquals(fileName + ":3: sinks[1].name: 'console' names another sink too (line 2); give each sink its own name",
            load("sinks:\n  - console\n  - type: console\n    name: console\n"));
    }

    @Test
    void unknownStepAndMalformedSteps() throws IOException {
        assertEquals(fileName + ":2: pipeline[0].route: unknown step; allowed: filter, drop, set, rename, remove",
            load("pipeline:\n  - route: x\n"));
        assertEquals(fileName + ":2: pipeline[0].filtre: unknown step; did you mean filter?; allowed: filter, drop, "
            + "set, rename, remove", load("pipeline:\n  - filtre: data.x > 1\n"));
        assertEquals(fileName + ":2: pipeline[0]: a step has exactly one of filter, drop, set, rename, remove, got 2 "
            + "keys; start a new step with '-'", load("pipeline:\n  - filter: data.x > 1\n    drop: data.y > 1\n"));
        assertEquals(fileName + ":1: pipeline: expected a list of steps such as '- filter: data.value > 0', got "
            + "'data.x > 1'", load("pipeline: data.x > 1\n"));
    }

    @Test
    void unknownFlagAndBadValueOfAKnownVariable() {
        assertEquals("environment SP_SERVER_PORT: server.port: 'tcp://10.0.0.7:8000' is not allowed; expected a "
            + "whole number from 0 to 65535", message(new String[0], Map.of("SP_SERVER_PORT", "tcp://10.0.0.7:8000",
                "SP_PORT", "tcp://10.0.0.7:8000")));
        assertEquals("unknown option --prot; did you mean --port? (--help lists every option)",
            message(new String[] {"--prot", "1"}, Map.of()));
        assertEquals("--port needs a value: a whole number from 0 to 65535", message(new String[] {"--port"}, Map.of()));
        assertEquals("unexpected argument 'serve'; options start with -- (--help lists them)",
            message(new String[] {"serve"}, Map.of()));
    }

    @Test
    void yamlMistakes() throws IOException {
        assertTrue(load("server:\n  port: 8000\n   host: x\n").startsWith(fileName + ":3: not valid YAML: "));
        assertEquals(fileName + ":3: server.port: set twice (first at line 2)",
            load("server:\n  port: 8000\n  port: 8001\n"));
        assertEquals(fileName + ":2: pipeline[0].filter: YAML reads a value that starts with ! as a tag; quote it: "
            + "'!has(data.x)'", load("pipeline:\n  - filter: !has(data.x)\n"));
        assertEquals(fileName + ":1: expected sections at the top of the file (server, processor, window, events, "
            + "cardinality, pipeline, sinks), got a list", load("- a\n- b\n"));
    }

    @Test
    void ringSmallerThanTheLargestBatch() throws IOException {
        assertEquals(fileName + ":2: processor.ring-size: 1024 is smaller than server.max-batch-events 10000 (the "
            + "default): a full batch could never be taken; allowed: a power of two of at least 16384, or fewer "
            + "batch events", load("processor:\n  ring-size: 1024\n"));
        assertEquals("flag --server.max-batch-events: server.max-batch-events: 20000 is larger than "
            + "processor.ring-size 16384 (the default): a full batch could never be taken; allowed: at most 16384, "
            + "or a larger ring", message(new String[] {"--server.max-batch-events", "20000"}, Map.of()));
    }

    @Test
    void ringLargerThanHalfTheHeap() {
        long heap = 512L << 20;
        assertEquals("flag --processor.ring-size: processor.ring-size: 1048576 slots need about "
            + ((1048576 * ProcessorSettings.EMPTY_SLOT_BYTES + (1 << 20) - 1) >> 20) + " MiB of heap, more than "
            + "half of the heap limit of 512 MiB; allowed: at most 262144 slots with this heap, or a larger heap: "
            + "-Xmx2g or more (for bin/stream-processor: JAVA_OPTS=\"-Xmx2g\")",
            message(new String[] {"--processor.ring-size", "1048576"}, Map.of(), heap));
        assertTrue(message(new String[0], Map.of(), 16L << 20).startsWith("processor.ring-size: 16384 (the default) "
            + "slots need about 13 MiB of heap, more than half of the heap limit of 16 MiB; allowed: at most 8192 "
            + "slots with this heap, or a larger heap: -Xmx1g"));
        assertEquals(131072, Config.load(new String[] {"--processor.ring-size", "131072"}, Map.of(), heap)
            .settings().get(Options.RING_SIZE), "a ring of up to half the heap is fine");
    }

    @Test
    void missingFile() {
        assertEquals(dir.resolve("none.yaml") + ": configuration file not found",
            message(new String[] {"--config", dir.resolve("none.yaml").toString()}, Map.of()));
        assertEquals("environment SP_CONFIG: the configuration file name is empty",
            message(new String[0], Map.of("SP_CONFIG", " ")));
    }

    @Test
    void directoryOrUnreadableFile() throws IOException {
        assertEquals(dir + ": is a directory, not a configuration file",
            message(new String[] {"--config", dir.toString()}, Map.of()));
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, "server:\n  host: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(latin1 + ": cannot read the configuration file: it is not UTF-8 text",
            message(new String[] {"--config", latin1.toString()}, Map.of()));
        // Permissions cannot be taken away from root, which runs these tests in containers: the message is
        // checked on the exception the file system gives an ordinary user.
        assertEquals("cannot read the configuration file: permission denied",
            YamlSource.readProblem(new AccessDeniedException(latin1.toString())));
        assertEquals("cannot read the configuration file: Input/output error",
            YamlSource.readProblem(new FileSystemException(latin1.toString(), null, "Input/output error")));
    }

    @Test
    void anEmptyFileIsTheDefaults() throws IOException {
        Path p = dir.resolve("empty.yaml");
        Files.writeString(p, "# nothing yet\n");
        assertEquals(8000, Config.load(new String[] {"--config", p.toString()}, Map.of()).settings()
            .get(Options.PORT));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        window:\\n  slide: 1ms\\n  size: 366d                       | too many panes
        server:\\n  max-body-size: 0                                | out of range
        events:\\n  max-depth: 61                                   | out of range
        server:\\n  request-timeout: 2d                             | out of range
        processor:\\n  wait-strategy: spin                          | allowed: auto, blocking, sleeping, yielding, busy-spin
        events:\\n  unknown-fields: drop                            | allowed: reject, allow
        """)
    void outOfRangeValuesNameWhatIsAllowed(String yaml, String expected) throws IOException {
        String m = load(yaml.replace("\\n", "\n"));
        assertTrue(m.startsWith(fileName + ":"), m);
        assertTrue(m.contains(expected), m);
    }

    @Test
    void aJournalSettingOutsideItsChoicesNamesThemAndTheFlag() {
        String m = message(new String[] {"--journal.fsync", "sometimes"}, Map.of());
        assertTrue(m.contains("--journal.fsync") && m.contains("none") && m.contains("batch") && m.contains("interval"), m);
    }

    @Test
    void overflowJournalWithTheJournalOffIsRefusedAtItsLine() throws IOException {
        String m = load("""
            journal:
              enabled: false
            sinks:
              - type: file
                path: out/events.ndjson
                overflow: journal
            """);
        assertTrue(m.startsWith(fileName + ":6:"), m);
        assertTrue(m.contains("sinks[0].overflow") && m.contains("journal.enabled is false"), m);
    }

    @Test
    void theJournalIsOnByDefaultInDataJournalAndEachSettingReachesTheEngine() throws Exception {
        var defaults = Config.load(new String[0], Map.of()).journal();
        assertEquals(Path.of("data/journal"), defaults.dir());
        assertEquals(io.streamprocessor.engine.journal.JournalSettings.Fsync.NONE, defaults.fsync());
        var set = Config.load(new String[] {"--journal.dir", "/var/lib/sp", "--journal.fsync", "interval",
            "--journal.fsync-interval", "250ms", "--journal.segment-size", "8MiB", "--journal.on-corruption", "truncate"},
            Map.of()).journal();
        assertEquals(new io.streamprocessor.engine.journal.JournalSettings(Path.of("/var/lib/sp"),
            io.streamprocessor.engine.journal.JournalSettings.Fsync.INTERVAL, 250, 8L << 20,
            io.streamprocessor.engine.journal.JournalSettings.OnCorruption.TRUNCATE), set);
        assertEquals(null, Config.load(new String[0], Map.of("SP_JOURNAL_ENABLED", "false")).journal());
    }
}
