package io.streamprocessor.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Small helpers the benchmark mains share: their flags and the machine's load. */
public final class BenchArgs {
    private BenchArgs() {
    }

    /** The value after {@code flag} in {@code args}, or {@code fallback}. */
    public static String value(List<String> args, String flag, String fallback) {
        int i = args.indexOf(flag);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : fallback;
    }

    /** {@code /proc/loadavg}, or "unknown" where there is none. */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
