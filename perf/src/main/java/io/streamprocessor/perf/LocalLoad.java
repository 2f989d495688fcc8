package io.streamprocessor.perf;

import io.streamprocessor.perf.load.LoadGenerator;
import io.streamprocessor.perf.load.LoadOptions;
import io.streamprocessor.perf.load.LoadReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A load run against a server on this machine, from within a benchmark's own JVM, its report row printed. */
final class LocalLoad {
    private LocalLoad() {
    }

    /** Runs {@link LoadGenerator} against {@code http://127.0.0.1:port} with {@code args} (its own flags). */
    static LoadReport run(int port, String... args) {
        List<String> all = new ArrayList<>(List.of("--url", "http://127.0.0.1:" + port));
        all.addAll(List.of(args));
        try {
            LoadReport r = LoadGenerator.run(LoadOptions.parse(all.toArray(new String[0])));
            System.out.println(r.row());
            return r;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A count or rate as a flag's value: a whole number. */
    static String whole(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
