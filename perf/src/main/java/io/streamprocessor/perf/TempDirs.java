package io.streamprocessor.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Removing what a benchmark wrote. A server under a flood journals gigabytes in a minute: a
 * journal directory left behind by every run filled this machine's disk, after which every
 * server shed everything (its journal could not be written). Any thread.
 */
public final class TempDirs {
    private TempDirs() {
    }

    /** Deletes {@code dir} and everything in it; nothing if it does not exist. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
