package io.streamprocessor.perf.sinks;

import io.streamprocessor.config.Config;
import io.streamprocessor.config.LoadedConfig;
import io.streamprocessor.connectors.BufferSettings;
import io.streamprocessor.connectors.BufferedSink;
import io.streamprocessor.connectors.file.FileSink;
import io.streamprocessor.connectors.file.FileSinkSettings;
import io.streamprocessor.engine.pipeline.ProcessorSettings;
import io.streamprocessor.engine.sink.SinkStatus;
import io.streamprocessor.transport.http.HttpServer;
import io.streamprocessor.transport.http.ServerSettings;
import sun.misc.Signal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The real server (the launcher's defaults, its HTTP stack and processor) with no sink or with a
 * file sink, for {@link FileSinkBench}; until the launcher declares sinks from its configuration
 * file, this is how a benchmark starts a server with one. SIGTERM drains it as the launcher does,
 * then the sink's counts are printed on standard error.
 *
 * <p>Run: {@code java -cp perf/target/benchmarks.jar io.streamprocessor.perf.sinks.FileSinkServer
 * none|file PORT [FILE] [--fsync] [--gzip] [--flush-events N] [--flush-interval-ms MS]}.
 */
public final class FileSinkServer {
    private FileSinkServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || !(args[0].equals("none") || args[0].equals("file"))) {
            System.err.println("usage: FileSinkServer none|file PORT [FILE] [--fsync] [--gzip] [--flush-events N] [--flush-interval-ms MS]");
            System.exit(2);
        }
        boolean file = args[0].equals("file");
        String port = args[1];
        Path path = Path.of(args.length > 2 && !args[2].startsWith("--") ? args[2] : "perf/target/file-sink/events.ndjson");
        boolean fsync = java.util.Arrays.asList(args).contains("--fsync");
        boolean gzip = java.util.Arrays.asList(args).contains("--gzip");
        BufferSettings.Builder buffer = FileSink.bufferDefaults();
        for (int i = 2; i < args.length - 1; i++) {
            if (args[i].equals("--flush-events")) {
                buffer.flushEvents(Integer.parseInt(args[i + 1]));
            } else if (args[i].equals("--flush-interval-ms")) {
                buffer.flushInterval(Duration.ofMillis(Long.parseLong(args[i + 1])));
            }
        }

        LoadedConfig config = Config.load(new String[] {"--host", "127.0.0.1", "--port", port, "--journal.enabled", "false"}, Map.of());
        ProcessorSettings.Builder processor = config.processorBuilder();
        BufferedSink sink = null;
        if (file) {
            sink = FileSink.create("file", FileSinkSettings.builder(path).fsync(fsync).gzip(gzip).build(), buffer.build());
            processor.addSink(sink);
        }
        ServerSettings settings = ServerSettings.from(config.settings());
        HttpServer server = HttpServer.start(processor.build().start(), settings);
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        System.err.println("file sink bench server (" + (file ? "file sink to " + path + (fsync ? ", fsync" : "")
            + (gzip ? ", gzip" : "") : "no sink") + ") listening on http://127.0.0.1:" + server.port()
            + " (" + server.topology() + " topology)");
        stop.await();
        server.close();
        if (sink != null) {
            SinkStatus s = sink.status();
            System.err.println("sink file: written " + s.written() + " events, dropped " + s.dropped() + ", buffered "
                + s.buffered() + ", failed attempts " + s.failed());
        }
        System.err.println("stopped");
        System.exit(0);
    }
}
