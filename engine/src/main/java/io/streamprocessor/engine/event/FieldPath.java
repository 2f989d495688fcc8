package io.streamprocessor.engine.event;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A compiled path to a member of an event's {@code data} object, such as {@code value} or
 * {@code user.id}. Compile once at configuration time; lookups then compare bytes and allocate
 * nothing. Immutable and safe to share between threads.
 */
public final class FieldPath {
    private final String text;
    private final byte[][] segments;

    private FieldPath(String text, byte[][] segments) {
        this.text = text;
        this.segments = segments;
    }

    /**
     * Parses a dotted path relative to {@code data}; a leading {@code data.} is accepted and
     * dropped, so {@code data.value} and {@code value} name the same member.
     *
     * @throws IllegalArgumentException when the path is empty or has an empty segment
     */
    public static FieldPath of(String path) {
        String p = path.startsWith("data.") ? path.substring(5) : path;
        if (p.isEmpty()) {
            throw new IllegalArgumentException("empty field path: '" + path + "'");
        }
        String[] parts = p.split("\\.", -1);
        byte[][] segments = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isEmpty()) {
                throw new IllegalArgumentException("empty segment in field path: '" + path + "'");
            }
            segments[i] = parts[i].getBytes(StandardCharsets.UTF_8);
        }
        return new FieldPath(p, segments);
    }

    public int segments() {
        return segments.length;
    }

    byte[] segment(int i) {
        return segments[i];
    }

    /** True when both paths name members of the same parent object. */
    boolean sameParent(FieldPath other) {
        if (other.segments.length != segments.length) {
            return false;
        }
        for (int i = 0; i < segments.length - 1; i++) {
            if (!Arrays.equals(segments[i], other.segments[i])) {
                return false;
            }
        }
        return true;
    }

    /** True when this path names an object that encloses the member {@code other} names. */
    boolean isAncestorOf(FieldPath other) {
        if (segments.length >= other.segments.length) {
            return false;
        }
        for (int i = 0; i < segments.length; i++) {
            if (!Arrays.equals(segments[i], other.segments[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldPath && ((FieldPath) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The path relative to {@code data}, e.g. {@code user.id}. */
    @Override
    public String toString() {
        return text;
    }
}
