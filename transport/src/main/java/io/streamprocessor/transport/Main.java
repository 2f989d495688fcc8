package io.streamprocessor.transport;

import io.streamprocessor.config.Config;
import io.streamprocessor.config.ConfigException;
import io.streamprocessor.config.LoadedConfig;
import io.streamprocessor.config.ServerValues;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.transport.http.HttpServer;
import io.streamprocessor.transport.http.ServerSettings;
import sun.misc.Signal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts the server from the configuration: flags over {@code SP_*} environment variables over
 * the YAML file of {@code --config} over the defaults ({@code 127.0.0.1:8000}, 60 s windows
 * sliding by 10 s, no filters, no sinks). A configuration mistake prints one line and exits 2.
 * SIGTERM or SIGINT drains (every accepted request is answered, nothing acknowledged is lost)
 * and exits 0.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        LoadedConfig config;
        try {
            config = Config.load(args, System.getenv());
        } catch (ConfigException e) {
            System.err.println("stream-processor: " + e.getMessage());
            System.err.println("Try --help.");
            System.exit(2);
            return;
        }
        if (config.helpRequested()) {
            System.out.print(Config.help());
            return;
        }
        if (config.printConfigRequested()) {
            System.out.print(config.describe());
            return;
        }
        ServerSettings settings = serverSettings(config.server());
        HttpServer server;
        try {
            server = serve(config);
        } catch (Exception e) {
            System.err.println("stream-processor: cannot listen on " + settings.host() + ":" + settings.port()
                + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable drain = () -> {
            if (!stopping.compareAndSet(false, true)) {
                return; // a second signal while draining changes nothing
            }
            System.out.println("stream-processor: draining");
            server.close();
            System.out.println("stream-processor: stopped");
            System.out.flush();
            stopped.countDown();
        };
        Signal.handle(new Signal("TERM"), sig -> new Thread(drain, "sp-shutdown").start());
        Signal.handle(new Signal("INT"), sig -> new Thread(drain, "sp-shutdown").start());
        // Announced after the handlers are in place: whoever waits for this line may stop the process at once.
        System.out.println("stream-processor listening on http://" + settings.host() + ":" + server.port()
            + " (" + server.transport() + ", " + settings.effectiveEventLoops() + " I/O threads, "
            + server.topology() + " topology, "
            + config.file().map(f -> "configuration " + f).orElse("no configuration file") + ")");
        System.out.flush();
        stopped.await();
        System.exit(0);
    }

    /** Builds and starts the processor the configuration declares and serves it; closing the server closes both. */
    public static HttpServer serve(LoadedConfig config) throws InterruptedException {
        StreamProcessor processor = config.processorBuilder().build().start();
        try {
            return HttpServer.start(processor, serverSettings(config.server()));
        } catch (RuntimeException | InterruptedException e) {
            processor.close();
            throw e;
        }
    }

    /** The server's settings from the configuration's plain values. */
    static ServerSettings serverSettings(ServerValues v) {
        long buffered = v.maxBufferedBodyBytes() > 0 ? v.maxBufferedBodyBytes()
            : ServerSettings.defaults().maxBufferedBodyBytes();
        return new ServerSettings(v.host(), v.port(), v.eventLoops(), v.maxBodyBytes(), v.maxBatchEvents(),
            v.maxPendingPerConnection(), buffered, v.requestTimeout().toMillis(), v.idleTimeout().toMillis(),
            v.maxInitialLineBytes(), v.maxHeaderBytes());
    }
}
