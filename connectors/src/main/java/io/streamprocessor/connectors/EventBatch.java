package io.streamprocessor.connectors;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Events taken from a sink's buffer, to be delivered together: each as its JSON line (exactly
 * what the console sink prints) with the positions of its fields, so a writer can send the line
 * as is, or take the fields out of it without parsing. Reused from batch to batch by the sink's
 * thread; not thread-safe, and nothing read from it may be kept after the write returns.
 */
public final class EventBatch {
    /** Per event: timestamp, receivedAt, then 8 positions (id, type, source, data: start and end) relative to its line. */
    private static final int LONGS = 2;
    private static final int INTS = 8;

    private byte[] bytes = new byte[64 * 1024];
    private int used;
    private int count;
    private int[] lineStart = new int[256];
    private int[] lineLength = new int[256];
    private long[] times = new long[256 * LONGS];
    private int[] positions = new int[256 * INTS];

    /** Events in the batch. */
    public int size() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Bytes of all the lines together. */
    public int bytes() {
        return used;
    }

    public void clear() {
        used = 0;
        count = 0;
    }

    /** The array holding every line; line {@code i} is at {@link #lineStart(int)} for {@link #lineLength(int)} bytes. */
    public byte[] array() {
        return bytes;
    }

    public int lineStart(int i) {
        return lineStart[i];
    }

    /** Length of event {@code i}'s JSON line, without a newline. */
    public int lineLength(int i) {
        return lineLength[i];
    }

    /** Event time, epoch ms. */
    public long timestamp(int i) {
        return times[i * LONGS];
    }

    /** Server time the event was received, epoch ms. */
    public long receivedAt(int i) {
        return times[i * LONGS + 1];
    }

    /** The id, unescaped. Allocates. */
    public String id(int i) {
        return text(i, 0);
    }

    public String type(int i) {
        return text(i, 2);
    }

    public String source(int i) {
        return text(i, 4);
    }

    /** The source as UTF-8 bytes, unescaped (a Kafka key). Allocates. */
    public byte[] sourceBytes(int i) {
        return source(i).getBytes(StandardCharsets.UTF_8);
    }

    /** Where event {@code i}'s data object starts in {@link #array()}. */
    public int dataStart(int i) {
        return lineStart[i] + positions[i * INTS + 6];
    }

    /** Length of event {@code i}'s data object as JSON. */
    public int dataLength(int i) {
        return positions[i * INTS + 7] - positions[i * INTS + 6];
    }

    /** The data object as JSON text. Allocates. */
    public String data(int i) {
        return new String(bytes, dataStart(i), dataLength(i), StandardCharsets.UTF_8);
    }

    private String text(int i, int field) {
        int start = lineStart[i] + positions[i * INTS + field];
        int end = lineStart[i] + positions[i * INTS + field + 1];
        return JsonText.unescape(bytes, start, end);
    }

    /** Appends a copy of one event. */
    void add(EncodedEvent e) {
        if (count == lineStart.length) {
            int n = count * 2;
            lineStart = Arrays.copyOf(lineStart, n);
            lineLength = Arrays.copyOf(lineLength, n);
            times = Arrays.copyOf(times, n * LONGS);
            positions = Arrays.copyOf(positions, n * INTS);
        }
        if (used + e.length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + e.length));
        }
        times[count * LONGS] = e.timestamp;
        times[count * LONGS + 1] = e.receivedAt;
        System.arraycopy(e.positions, 0, positions, count * INTS, INTS);
        System.arraycopy(e.line, 0, bytes, used, e.length);
        lineStart[count] = used;
        lineLength[count] = e.length;
        used += e.length;
        count++;
    }
}
