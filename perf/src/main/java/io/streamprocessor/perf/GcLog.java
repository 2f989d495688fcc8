package io.streamprocessor.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The pauses in a JVM's {@code -Xlog:gc} file, in milliseconds: young, full, and all of them sorted. */
record GcLog(int young, int full, double[] pauses, double[] youngPauses) {
    private static final Pattern UPTIME = Pattern.compile("^\\[([0-9.]+)s\\]");

    static GcLog parse(Path log) throws IOException {
        return parse(log, 0);
    }

    /** The pauses from {@code fromSeconds} of the JVM's uptime on (the log's {@code [12.345s]} stamps). */
    static GcLog parse(Path log, double fromSeconds) throws IOException {
        if (!Files.exists(log)) {
            return new GcLog(0, 0, new double[0], new double[0]);
        }
        Pattern pause = Pattern.compile("Pause (Young|Full|Remark|Cleanup).* ([0-9.]+)ms");
        int young = 0;
        int full = 0;
        List<Double> pauses = new ArrayList<>();
        List<Double> youngPauses = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            Matcher m = pause.matcher(line);
            Matcher at = UPTIME.matcher(line);
            if (at.find() && Double.parseDouble(at.group(1)) < fromSeconds) {
                continue;
            }
            if (m.find()) {
                if (m.group(1).equals("Full")) {
                    full++;
                } else if (m.group(1).equals("Young")) {
                    young++;
                    youngPauses.add(Double.parseDouble(m.group(2)));
                }
                pauses.add(Double.parseDouble(m.group(2)));
            }
        }
        double[] p = pauses.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new GcLog(young, full, p, youngPauses.stream().mapToDouble(Double::doubleValue).sorted().toArray());
    }

    /** Nearest-rank p99 of every pause. */
    double p99() {
        return p99(pauses);
    }

    /** Nearest-rank p99 of the young pauses. */
    double youngP99() {
        return p99(youngPauses);
    }

    private static double p99(double[] sorted) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)];
    }

    double max() {
        return pauses.length == 0 ? 0 : pauses[pauses.length - 1];
    }
}
