package io.streamprocessor.transport;

import io.streamprocessor.engine.pipeline.ProcessorSettings;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.pipeline.Topology;
import io.streamprocessor.transport.http.HttpServer;
import io.streamprocessor.transport.http.ServerSettings;
import sun.misc.Signal;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts the server with embedded defaults: {@code 127.0.0.1:8000}, 60 s windows sliding by
 * 10 s, no filters, no sinks. SIGTERM or SIGINT drains (every accepted request is answered,
 * nothing acknowledged is lost) and exits 0.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        ServerSettings settings;
        try {
            settings = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("stream-processor: " + e.getMessage());
            System.err.println("Try --help.");
            System.exit(2);
            return;
        }
        if (settings == null) {
            usage(System.out);
            return;
        }
        ProcessorSettings.Builder builder = StreamProcessor.builder();
        String topology = topology(args);
        if (topology != null) {
            builder.topology(Topology.valueOf(topology.toUpperCase().replace('-', '_')));
        }
        StreamProcessor processor = builder.build().start();
        HttpServer server;
        try {
            server = HttpServer.start(processor, settings);
        } catch (Exception e) {
            processor.close();
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
            + processor.settings().topology().name().toLowerCase() + " topology)");
        System.out.flush();
        stopped.await();
        System.exit(0);
    }

    /** The settings the flags ask for, or null for {@code --help}. */
    static ServerSettings parse(String[] args) {
        ServerSettings s = ServerSettings.defaults();
        String host = s.host();
        int port = s.port();
        int loops = s.eventLoops();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--host" -> host = value(args, ++i, a);
                case "--port" -> port = number(value(args, ++i, a), a, 0, 65_535);
                case "--event-loops" -> loops = number(value(args, ++i, a), a, 0, 1024);
                case "--topology" -> {
                    String t = value(args, ++i, a);
                    try {
                        Topology.valueOf(t.toUpperCase().replace('-', '_'));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("--topology must be one of inline, single, fused, per-stage; got '" + t + "'");
                    }
                }
                default -> throw new IllegalArgumentException("unknown option: " + a);
            }
        }
        return s.withAddress(host, port).withEventLoops(loops);
    }

    private static String topology(String[] args) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--topology")) {
                return args[i + 1];
            }
        }
        return null;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static int number(String text, String flag, int min, int max) {
        try {
            int v = Integer.parseInt(text);
            if (v < min || v > max) {
                throw new IllegalArgumentException(flag + " must be " + min + "-" + max + ", got " + text);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a number, got '" + text + "'");
        }
    }

    private static void usage(PrintStream out) {
        out.println("""
            Usage: stream-processor [options]

            Options:
              --host HOST         address to listen on (default 127.0.0.1)
              --port PORT         port to listen on, 0 for any free one (default 8000)
              --event-loops N     I/O threads, 0 for one per two cores (default 0)
              --topology T        stage threads: inline, single, fused or per-stage (default by core count)
              --help              this text

            SIGTERM or Ctrl-C drains: requests in flight are answered, then the process exits 0.""");
    }
}
