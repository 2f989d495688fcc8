package io.streamprocessor.engine.stats;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/**
 * Where the processor says, in one line each, the notable things it does on its own: a journal
 * replayed, a torn record cut, the disk full and writable again, backpressure starting and ending.
 * Never one line per event. By default (see {@link #log()}) the lines go to SLF4J, whose backend
 * the application chooses; the server's writes them to standard error with a time and a level.
 *
 * <p>Threads: called from the processor's threads (stage threads, the journal's housekeeping, a
 * producer's thread for backpressure), possibly at the same time, so implementations must be
 * thread-safe, must not throw, and must not block for long.
 */
@FunctionalInterface
public interface Notices {
    /** How much a line matters: {@code INFO} for what goes as planned, {@code WARN} for trouble the processor rides out. */
    enum Level { INFO, WARN, ERROR }

    void notice(Level level, String line);

    default void info(String line) {
        notice(Level.INFO, line);
    }

    default void warn(String line) {
        notice(Level.WARN, line);
    }

    /** Each line to {@code lines}, whatever its level. */
    static Notices lines(Consumer<String> lines) {
        return (level, line) -> lines.accept(line);
    }

    /** Each line to the SLF4J logger {@code io.streamprocessor.engine}, prefixed {@code stream-processor: }, at its level. */
    static Notices log() {
        Logger log = LoggerFactory.getLogger("io.streamprocessor.engine");
        return (level, line) -> {
            switch (level) {
                case INFO -> log.info("stream-processor: {}", line);
                case WARN -> log.warn("stream-processor: {}", line);
                default -> log.error("stream-processor: {}", line);
            }
        };
    }
}
