package io.streamprocessor.perf.engine;

import io.streamprocessor.engine.event.EventWriter;

/**
 * The workload of issue 12 that the engine, a Flink job and a plain loop all run: event
 * {@code i} of {@code n} has the event time {@code T0 + i/10} ms, type {@code "type-" + i % 10},
 * source {@code "src-" + (i * 7919) % 1000} and {@code data.value = (i * 31 % 10000) / 10.0},
 * except that every event with {@code i % 10 == 9} has no value. Each event is built afresh,
 * strings included, as a user's producer would. Stateless and thread-safe.
 */
public final class PeerWorkload {
    /** Event time of event 0, in epoch milliseconds. */
    public static final long T0 = 1_699_380_000_000L;

    private PeerWorkload() {
    }

    /** Event time of event {@code i}, in epoch milliseconds. */
    public static long timestamp(long i) {
        return T0 + i / 10;
    }

    /** Type of event {@code i}, a new string. */
    public static String type(long i) {
        return "type-" + (i % 10);
    }

    /** Source of event {@code i}, a new string. */
    public static String source(long i) {
        return "src-" + ((i * 7919L) % 1000);
    }

    /** Whether event {@code i} carries {@code data.value}. */
    public static boolean hasValue(long i) {
        return i % 10 != 9;
    }

    /** {@code data.value} of event {@code i}, when {@link #hasValue} says it has one. */
    public static double value(long i) {
        return (i * 31 % 10_000) / 10.0;
    }

    /** Event time covered by {@code n} events, in milliseconds (the last event's time minus the first's, plus 1). */
    public static long spanMillis(long n) {
        return n == 0 ? 0 : (n - 1) / 10 + 1;
    }

    /** Writes event {@code i} into a claimed slot of the engine, through its public writer. */
    public static void write(EventWriter slot, long i) {
        slot.type(type(i)).source(source(i)).timestamp(timestamp(i));
        if (hasValue(i)) {
            slot.data().startObject().name("value").number(value(i)).endObject();
        } else {
            slot.data().startObject().endObject();
        }
    }
}
