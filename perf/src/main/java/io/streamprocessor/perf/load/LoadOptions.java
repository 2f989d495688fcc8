package io.streamprocessor.perf.load;

import java.net.URI;

/**
 * What one load run does. Immutable; parsed from the command line by {@link #parse}.
 *
 * @param rate        open loop: requests per second across all connections; 0 = closed loop (as fast as answers come)
 * @param depth       requests in flight per connection (1 = no pipelining)
 * @param batch       events per request: 1 posts to {@code /events}, more to {@code /events/batch}
 * @param method      GET sends no body (for {@code /aggregations}, {@code /stats})
 * @param retryAfter  a connection answered 503 with {@code Retry-After} waits that long before it sends again, as
 *                    well-behaved clients do (closed loop only); otherwise it sends again at once
 */
public record LoadOptions(
    String host,
    int port,
    String path,
    String method,
    int connections,
    int depth,
    double rate,
    int batch,
    double durationSeconds,
    double warmupSeconds,
    int threads,
    String jsonOut,
    String label,
    long seed,
    boolean retryAfter) {

    static final String USAGE = """
        Usage: java -cp perf/target/benchmarks.jar io.streamprocessor.perf.load.LoadGenerator [options]

        HTTP/1.1 keep-alive load for stream-processor, with latency in HdrHistogram.
          --url URL            target base URL (default http://127.0.0.1:8000)
          --path PATH          request path (default /events, or /events/batch when --batch > 1)
          --method M           POST (default) or GET
          --connections N      keep-alive connections (default 64)
          --depth N            requests in flight per connection, i.e. pipelining depth (default 1)
          --rate R             open loop at R requests/s in all, latency measured from each request's
                               intended send time (coordinated-omission corrected, as wrk2 does);
                               0 = closed loop, as fast as responses allow (default 0)
          --batch N            events per request (default 1)
          --duration S         measured seconds (default 10)
          --warmup S           seconds of load before measuring (default 2)
          --threads N          I/O threads of the generator (default 1)
          --seed N             seed of the event generator (default 42)
          --retry-after        closed loop: after a 503 with Retry-After, a connection waits that long
                               before sending again, as well-behaved clients do (default: at once)
          --label TEXT         name of the run in the report
          --json FILE          also write the report as JSON to FILE
          --help               this text

        Reports requests/s, events/s, latency p50/p90/p99/p99.9/max (and, open loop, the
        uncorrected figures), and every status code seen: a 503 is counted, never hidden.""";

    public boolean openLoop() {
        return rate > 0;
    }

    /** Options from command-line arguments, or null when {@code --help} was asked for. */
    public static LoadOptions parse(String[] args) {
        URI url = URI.create("http://127.0.0.1:8000");
        String path = null;
        String method = "POST";
        int connections = 64;
        int depth = 1;
        double rate = 0;
        int batch = 1;
        double duration = 10;
        double warmup = 2;
        int threads = 1;
        String json = null;
        String label = null;
        long seed = 42;
        boolean retryAfter = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                return null;
            }
            if (a.equals("--retry-after")) {
                retryAfter = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value (or unknown option)");
            }
            String v = args[++i];
            switch (a) {
                case "--url" -> url = URI.create(v);
                case "--path" -> path = v;
                case "--method" -> method = v.toUpperCase();
                case "--connections" -> connections = positive(a, Integer.parseInt(v));
                case "--depth" -> depth = positive(a, Integer.parseInt(v));
                case "--rate" -> rate = Double.parseDouble(v);
                case "--batch" -> batch = positive(a, Integer.parseInt(v));
                case "--duration" -> duration = Double.parseDouble(v);
                case "--warmup" -> warmup = Double.parseDouble(v);
                case "--threads" -> threads = positive(a, Integer.parseInt(v));
                case "--json" -> json = v;
                case "--label" -> label = v;
                case "--seed" -> seed = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown option: " + a);
            }
        }
        if (!method.equals("POST") && !method.equals("GET")) {
            throw new IllegalArgumentException("--method must be POST or GET");
        }
        if (path == null) {
            path = method.equals("GET") ? "/stats" : batch > 1 ? "/events/batch" : "/events";
        }
        if (label == null) {
            label = method + " " + path + (batch > 1 ? " x" + batch : "") + (rate > 0 ? " @" + (long) rate + "/s" : " max")
                + (depth > 1 ? " depth " + depth : "");
        }
        int port = url.getPort() > 0 ? url.getPort() : 80;
        return new LoadOptions(url.getHost(), port, path, method, connections, depth, rate, batch, duration, warmup,
            threads, json, label, seed, retryAfter);
    }

    private static int positive(String flag, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(flag + " must be > 0");
        }
        return v;
    }
}
