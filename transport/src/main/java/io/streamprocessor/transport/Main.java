package io.streamprocessor.transport;

import io.streamprocessor.config.Config;
import io.streamprocessor.config.ConfigException;
import io.streamprocessor.config.LoadedConfig;
import io.streamprocessor.config.Options;
import io.streamprocessor.config.Settings;
import io.streamprocessor.config.pipeline.SinkSpec;
import io.streamprocessor.engine.journal.JournalSettings;
import io.streamprocessor.engine.pipeline.ProcessorSettings;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.transport.http.HttpServer;
import io.streamprocessor.transport.http.ServerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts the server from the configuration: flags over {@code SP_*} environment variables over
 * the YAML file of {@code --config} over the defaults ({@code 127.0.0.1:8000}, 60 s windows
 * sliding by 10 s, no filters, no sinks). A configuration mistake prints one line and exits 2;
 * a server that cannot start (the address, the heap) prints one line and exits 1. SIGTERM or
 * SIGINT drains (every accepted request is answered, nothing acknowledged is lost) and exits 0.
 *
 * <p>Standard output carries data only: the console sink's JSON lines, and what was asked for
 * ({@code --help}, {@code --version}, {@code --print-config}). A mistake on the command line is one
 * plain line on standard error. Once the configuration is read, what the server says about itself
 * (warnings, "listening on" with a summary of the configuration, a failure to start, "draining",
 * "stopped") is logged through SLF4J, one line per event with its time and level, to standard
 * error (the backend, slf4j-simple, is set up in {@code simplelogger.properties}).
 */
public final class Main {
    private static final String NAME = "stream-processor";
    private static final Logger LOG = LoggerFactory.getLogger("io.streamprocessor.server");

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream err = System.err;
        LoadedConfig config;
        try {
            config = Config.load(args, System.getenv());
        } catch (ConfigException e) {
            err.println(NAME + ": " + e.getMessage());
            err.println("Try --help.");
            System.exit(2);
            return;
        }
        if (config.helpRequested()) {
            System.out.print(Config.help());
            return;
        }
        if (config.versionRequested()) {
            System.out.println(Config.version());
            return;
        }
        if (config.printConfigRequested()) {
            System.out.print(config.describe());
            return;
        }
        config.warnings().forEach(w -> LOG.warn("{}: {}", NAME, w));
        ServerSettings settings = ServerSettings.from(config.settings());
        HttpServer server;
        try {
            server = serve(config, (listening, records) -> LOG.info(String.format(java.util.Locale.ROOT,
                "%s: replaying the journal in %s (%,d records); http://%s answers /health meanwhile and takes events once done",
                NAME, config.journal().dir(), records, address(settings.host(), listening.port()))));
        } catch (CannotStart e) {
            LOG.error("{}: cannot start: {}", NAME, e.getMessage());
            System.exit(1);
            return;
        } catch (OutOfMemoryError e) {
            // The configuration check estimates the ring against the heap; this is the last resort
            // when the estimate was not enough, so the person sees what to change, not a stack trace.
            int ring = config.settings().get(Options.RING_SIZE);
            LOG.error(NAME + ": not enough heap to start: processor.ring-size " + ring + " needs about "
                + mib(ProcessorSettings.ringHeapBytes(ring)) + " MiB before any event, and the heap limit is "
                + mib(Runtime.getRuntime().maxMemory()) + " MiB; use a smaller ring or raise -Xmx "
                + "(for bin/stream-processor: JAVA_OPTS)");
            System.exit(1);
            return;
        } catch (Exception e) {
            LOG.error("{}: cannot listen on {}: {}", NAME, address(settings.host(), settings.port()), listenProblem(e));
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable drain = () -> {
            if (!stopping.compareAndSet(false, true)) {
                return; // a second signal while draining changes nothing
            }
            LOG.info("{}: draining", NAME);
            server.close();
            System.out.flush();
            LOG.info("{}: stopped", NAME);
            stopped.countDown();
        };
        Signal.handle(new Signal("TERM"), sig -> new Thread(drain, "sp-shutdown").start());
        Signal.handle(new Signal("INT"), sig -> new Thread(drain, "sp-shutdown").start());
        // Announced after the handlers are in place: whoever waits for this line may stop the process at once.
        LOG.info("{} listening on http://{} ({}, {} {}, {} topology, {}; {})", NAME, address(settings.host(), server.port()),
            server.transport(), settings.effectiveEventLoops(), settings.effectiveEventLoops() == 1 ? "I/O thread" : "I/O threads",
            server.topology(), config.file().map(f -> "configuration " + f).orElse("no configuration file"), summary(config));
        stopped.await();
        System.exit(0);
    }

    /**
     * Builds and starts the processor the configuration declares and serves it; closing the server closes both.
     * The host is resolved first, so a name that does not resolve fails the same way on every transport.
     */
    public static HttpServer serve(LoadedConfig config) throws InterruptedException, UnknownHostException {
        return serve(config, (server, records) -> { });
    }

    /** Told when the processor has opened its journal and is about to replay it, while the server already listens. */
    @FunctionalInterface
    public interface Replaying {
        void replaying(HttpServer server, long records);
    }

    /**
     * As {@link #serve(LoadedConfig)}, calling {@code replaying} once the server listens and the
     * processor has opened a journal that holds records, before it replays them: meanwhile the
     * server already answers {@code /health} (503, saying so) and refuses events with 503 and
     * {@code Retry-After}.
     *
     * @throws CannotStart when the processor cannot start (a damaged journal, a sink that cannot
     *                     start); its message says why and what to do
     */
    public static HttpServer serve(LoadedConfig config, Replaying replaying)
        throws InterruptedException, UnknownHostException {
        ServerSettings settings = ServerSettings.from(config.settings());
        InetAddress.getByName(settings.host());
        StreamProcessor processor = config.processorBuilder().build();
        HttpServer server;
        try {
            server = HttpServer.start(processor, settings);
        } catch (Throwable e) { // Netty rethrows a failed bind's IOException unchecked
            processor.close();
            throw e;
        }
        try {
            processor.start(records -> replaying.replaying(server, records));
        } catch (IllegalStateException e) {
            server.close();
            throw new CannotStart(e.getMessage(), e);
        }
        return server;
    }

    /** The processor could not start; the message is for the person starting it. */
    public static final class CannotStart extends RuntimeException {
        CannotStart(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Why binding failed, as advice naming the setting to change. The operating system's words are
     * the only clue Netty passes on (its exceptions differ between epoll and NIO), so they are matched.
     */
    static String listenProblem(Throwable failure) {
        StringBuilder words = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "the host name does not resolve; set server.host to a name or address of this machine "
                    + "(such as 127.0.0.1, or 0.0.0.0 for every interface)";
            }
            if (t.getMessage() != null) {
                words.append(t.getMessage()).append(' ');
            }
        }
        String w = words.toString();
        if (w.contains("Address already in use")) {
            return "the port is in use by another process; set server.port to a free port (0 picks one)";
        }
        if (w.contains("Cannot assign requested address")) {
            return "the host is not an address of this machine; set server.host to one of its addresses "
                + "(0.0.0.0 for every interface)";
        }
        if (w.contains("Permission denied") || w.contains("Access denied")) {
            return "permission denied; ports below 1024 need privileges: set server.port to 1024 or above";
        }
        return "the operating system refused the address; check server.host and server.port";
    }

    /** The configuration in one line: windows, ring, journal, pipeline and sinks. */
    static String summary(LoadedConfig config) {
        Settings s = config.settings();
        JournalSettings journal = config.journal();
        List<SinkSpec> sinks = config.pipeline().sinks();
        int steps = config.pipeline().steps().size();
        return "window " + duration(s.get(Options.WINDOW_SIZE)) + " sliding " + duration(s.get(Options.WINDOW_SLIDE))
            + ", retention " + duration(s.get(Options.WINDOW_RETENTION))
            + String.format(java.util.Locale.ROOT, "; ring %,d slots", s.get(Options.RING_SIZE))
            + (journal == null ? "; journal off" : "; journal " + journal.dir() + " (fsync "
                + journal.fsync().name().toLowerCase(java.util.Locale.ROOT) + ")")
            + "; " + steps + (steps == 1 ? " pipeline step" : " pipeline steps")
            + (sinks.isEmpty() ? "; no sinks" : "; sinks " + sinks.stream()
                .map(k -> k.name().equals(k.type()) ? k.name() : k.name() + " (" + k.type() + ")")
                .collect(java.util.stream.Collectors.joining(", ")));
    }

    private static String duration(Duration d) {
        return d.toMillis() % 1000 != 0 ? d.toMillis() + "ms" : d.toSeconds() + "s";
    }

    private static String address(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static long mib(long bytes) {
        return (bytes + (1L << 20) - 1) >> 20;
    }
}
