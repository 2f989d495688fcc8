package io.streamprocessor.connectors;

import io.streamprocessor.engine.event.EventJson;
import io.streamprocessor.engine.event.EventView;

import java.util.Arrays;

/**
 * One event in a sink's buffer: its event time and receive time, its JSON line, and the positions
 * of its id, type, source and data within the line. A pre-allocated slot of the buffer's ring,
 * written on the pipeline's sink thread and read on the sink's own thread; its array is made on
 * first use (an idle buffer of 65,536 slots holds no lines), grows to the largest line seen and is
 * dropped back after an outlier.
 */
final class EncodedEvent {
    private static final int INITIAL = 512;
    private static final int RETAIN = 64 * 1024;
    private static final byte[] NONE = new byte[0];

    long timestamp;
    long receivedAt;
    /** The event's position in the journal. */
    long position;
    /** id, type, source and data: start and end (exclusive) within the line. */
    final int[] positions = new int[8];
    byte[] line = NONE;
    int length;

    /** Copies the event, {@code json} having just encoded it. */
    void set(EventView event, EventJson json) {
        int n = json.length();
        if (n > line.length || line.length > RETAIN && n <= INITIAL) {
            line = new byte[Math.max(INITIAL, n)];
        }
        System.arraycopy(json.buffer(), 0, line, 0, n);
        length = n;
        timestamp = event.timestamp();
        receivedAt = event.receivedAt();
        position = event.position();
        positions[0] = json.idStart();
        positions[1] = json.idEnd();
        positions[2] = json.typeStart();
        positions[3] = json.typeEnd();
        positions[4] = json.sourceStart();
        positions[5] = json.sourceEnd();
        positions[6] = json.dataStart();
        positions[7] = json.dataEnd();
    }

    @Override
    public String toString() {
        return new String(Arrays.copyOf(line, length), java.nio.charset.StandardCharsets.UTF_8);
    }
}
