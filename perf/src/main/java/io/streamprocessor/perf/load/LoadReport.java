package io.streamprocessor.perf.load;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one load run: rates, latency percentiles in milliseconds (corrected for
 * coordinated omission, and uncorrected), every status code, errors, and whether the target
 * rate was reached. Printed as a table row and as JSON.
 */
public record LoadReport(
    String label,
    String mode,
    double targetRate,
    double durationSeconds,
    int connections,
    int depth,
    int batch,
    double requestsPerSecond,
    double eventsPerSecond,
    double p50,
    double p90,
    double p99,
    double p999,
    double max,
    double uncorrectedP99,
    double uncorrectedP999,
    double shedP99,
    Map<Integer, Long> statuses,
    long connectionErrors,
    long unanswered,
    long neverSent,
    long[] perSecond) {

    static LoadReport of(LoadOptions o, LoadRun run, Histogram corrected, Histogram uncorrected, Histogram shed) {
        Map<Integer, Long> statuses = new LinkedHashMap<>();
        for (int code = 0; code < run.statusSlots(); code++) {
            long n = run.status(code);
            if (n > 0) {
                statuses.put(code, n);
            }
        }
        double rps = run.completedInWindow() / o.durationSeconds();
        return new LoadReport(o.label(), o.openLoop() ? "open" : "closed", o.rate(), o.durationSeconds(),
            o.connections(), o.depth(), o.batch(), rps, rps * o.batch(),
            ms(corrected.getValueAtPercentile(50)), ms(corrected.getValueAtPercentile(90)),
            ms(corrected.getValueAtPercentile(99)), ms(corrected.getValueAtPercentile(99.9)),
            ms(corrected.getMaxValue()),
            ms(uncorrected.getValueAtPercentile(99)), ms(uncorrected.getValueAtPercentile(99.9)),
            ms(shed.getValueAtPercentile(99)), statuses, run.connectionErrors.get(), run.unanswered.get(), run.neverSent.get(), run.perSecond());
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** True when an open-loop run fell more than 5% short of its target rate. */
    public boolean missedTarget() {
        return targetRate > 0 && requestsPerSecond < 0.95 * targetRate;
    }

    /** Events answered 200 per second: the goodput, with refused requests left out. */
    public double acceptedEventsPerSecond() {
        return statuses.getOrDefault(200, 0L) * (double) batch / durationSeconds;
    }

    /** Responses with a status other than 2xx. */
    public long non2xx() {
        long n = 0;
        for (Map.Entry<Integer, Long> e : statuses.entrySet()) {
            if (e.getKey() < 200 || e.getKey() >= 300) {
                n += e.getValue();
            }
        }
        return n;
    }

    public static String header() {
        return String.format(Locale.ROOT, "%-40s %12s %12s %8s %8s %8s %8s %8s  %s",
            "run", "req/s", "events/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "statuses");
    }

    public String row() {
        return String.format(Locale.ROOT, "%-40s %12.0f %12.0f %8.3f %8.3f %8.3f %8.3f %8.3f  %s%s%s",
            label, requestsPerSecond, eventsPerSecond, p50, p90, p99, p999, max, statuses,
            (connectionErrors + unanswered > 0 ? " errors=" + connectionErrors + " unanswered=" + unanswered : "")
                + (neverSent > 0 ? " never-sent=" + neverSent : "")
                + (statuses.containsKey(503) ? String.format(Locale.ROOT, " 503-p99=%.3fms", shedP99) : ""),
            missedTarget() ? " TARGET RATE NOT REACHED" : "");
    }

    public String toJson() {
        StringBuilder s = new StringBuilder("{");
        s.append("\"label\":\"").append(label.replace("\"", "'")).append('"');
        s.append(",\"mode\":\"").append(mode).append('"');
        field(s, "targetRate", targetRate);
        field(s, "durationSeconds", durationSeconds);
        field(s, "connections", connections);
        field(s, "depth", depth);
        field(s, "batch", batch);
        field(s, "requestsPerSecond", requestsPerSecond);
        field(s, "eventsPerSecond", eventsPerSecond);
        field(s, "p50", p50);
        field(s, "p90", p90);
        field(s, "p99", p99);
        field(s, "p999", p999);
        field(s, "max", max);
        field(s, "uncorrectedP99", uncorrectedP99);
        field(s, "uncorrectedP999", uncorrectedP999);
        field(s, "shedP99", shedP99);
        s.append(",\"statuses\":{");
        boolean first = true;
        for (Map.Entry<Integer, Long> e : statuses.entrySet()) {
            s.append(first ? "" : ",").append('"').append(e.getKey()).append("\":").append(e.getValue());
            first = false;
        }
        s.append('}');
        field(s, "connectionErrors", connectionErrors);
        field(s, "unanswered", unanswered);
        field(s, "neverSent", neverSent);
        s.append(",\"missedTarget\":").append(missedTarget());
        s.append(",\"perSecond\":").append(java.util.Arrays.toString(perSecond).replace(" ", ""));
        return s.append('}').toString();
    }

    private static void field(StringBuilder s, String name, double v) {
        s.append(",\"").append(name).append("\":");
        if (v == Math.rint(v)) {
            s.append((long) v);
        } else {
            s.append(String.format(Locale.ROOT, "%.3f", v));
        }
    }
}
