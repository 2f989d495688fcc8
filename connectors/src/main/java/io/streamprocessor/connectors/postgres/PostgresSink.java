package io.streamprocessor.connectors.postgres;

import io.streamprocessor.connectors.BufferSettings;
import io.streamprocessor.connectors.BufferedSink;

/**
 * The {@code postgres} sink: events into a PostgreSQL table (created when absent: id, type, source,
 * timestamp and received_at in epoch ms, data as {@code jsonb}), batched by {@code COPY}, one
 * transaction per batch, behind its own buffer and thread. The password comes from the environment
 * variable the settings name. Stateless factory.
 */
public final class PostgresSink {
    private PostgresSink() {
    }

    /** A sink writing to the table the settings name; nothing connects before the sink starts. */
    public static BufferedSink create(String name, PostgresSinkSettings settings, BufferSettings buffer) {
        return new BufferedSink(name, new PostgresWriter(settings, System::getenv), buffer);
    }
}
