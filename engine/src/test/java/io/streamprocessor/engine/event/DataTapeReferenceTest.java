package io.streamprocessor.engine.event;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random edits of random {@code data} objects, applied through {@link MutableEvent} to the tape and
 * to a naive model of ordered Java maps, must leave the same JSON and the same findable members:
 * a container link left stale by an insertion or removal shows up as a wrong encoding or lookup.
 */
class DataTapeReferenceTest {
    private static final long SEED = 20261202L;
    private static final String[] NAMES = {"a", "b", "c", "value"};

    @Test
    void randomEditsMatchAnOrderedMapModel() {
        Random r = new Random(SEED);
        EventRecord record = new EventRecord(FieldPath.of("value"), 4096, 1 << 16);
        for (int trial = 0; trial < 3_000; trial++) {
            Map<String, Object> model = object(r, 0);
            JsonTape.write(record.begin(1L).data(), json(model));
            record.refreshValue(); // as validation does
            MutableEvent e = record.mutable();
            for (int step = 0; step < 8; step++) {
                String op = apply(r, e, model);
                String where = "seed " + SEED + ", trial " + trial + ", after " + op;
                assertEquals(json(model), JsonTape.data(e), where);
                assertEquals(names(model), e.data().fieldCount(), where);
                for (String path : allPaths()) {
                    assertEquals(lookup(model, path) != null, e.has(FieldPath.of(path)), where + ": has(" + path + ")");
                }
                Object v = lookup(model, "value");
                boolean numeric = v instanceof Entry en && en.value instanceof Long;
                assertEquals(numeric, e.hasValue(), where + ": the value follows data.value");
            }
        }
    }

    /** Present-member marker for lookups, so a JSON null still counts as present. */
    private record Entry(Object value) {
    }

    private static String apply(Random r, MutableEvent e, Map<String, Object> model) {
        String path = path(r);
        FieldPath p = FieldPath.of(path);
        switch (r.nextInt(5)) {
            case 0 -> {
                long v = r.nextInt(100);
                set(model, path, v); // a parent that is not an object: nothing changes in either
                e.set(p, v);
                return "set " + path + " = " + v;
            }
            case 1 -> {
                String v = "s" + r.nextInt(10);
                set(model, path, v);
                e.set(p, v);
                return "set " + path + " = \"" + v + "\"";
            }
            case 2 -> {
                boolean v = r.nextBoolean();
                set(model, path, v);
                e.set(p, v);
                return "set " + path + " = " + v;
            }
            case 3 -> {
                remove(model, path);
                e.remove(p);
                return "remove " + path;
            }
            default -> {
                String to = path(r);
                rename(model, path, to);
                e.rename(p, FieldPath.of(to));
                return "rename " + path + " -> " + to;
            }
        }
    }

    // ------------------------------------------------------------------ the model: ordered maps

    private static Map<String, Object> object(Random r, int depth) {
        Map<String, Object> m = new LinkedHashMap<>();
        int n = r.nextInt(depth == 0 ? 5 : 3);
        for (int i = 0; i < n; i++) {
            m.put(NAMES[r.nextInt(NAMES.length)], value(r, depth + 1));
        }
        return m;
    }

    private static Object value(Random r, int depth) {
        int roll = r.nextInt(depth < 3 ? 8 : 5);
        return switch (roll) {
            case 0 -> (long) r.nextInt(1000);
            case 1 -> "x" + r.nextInt(5);
            case 2 -> r.nextBoolean();
            case 3 -> null;
            case 4 -> List.of();
            case 5 -> List.of((long) r.nextInt(9), object(r, depth));
            default -> object(r, depth);
        };
    }

    private static String path(Random r) {
        StringBuilder b = new StringBuilder(NAMES[r.nextInt(NAMES.length)]);
        int more = r.nextInt(3);
        for (int i = 0; i < more; i++) {
            b.append('.').append(NAMES[r.nextInt(NAMES.length)]);
        }
        return b.toString();
    }

    private static List<String> allPaths() {
        List<String> paths = new ArrayList<>();
        for (String a : NAMES) {
            paths.add(a);
            for (String b : NAMES) {
                paths.add(a + "." + b);
                for (String c : NAMES) {
                    paths.add(a + "." + b + "." + c);
                }
            }
        }
        return paths;
    }

    /** The member at the path, wrapped, or null when absent. */
    @SuppressWarnings("unchecked")
    private static Entry lookup(Map<String, Object> root, String path) {
        String[] s = path.split("\\.");
        Map<String, Object> m = root;
        for (int i = 0; i < s.length - 1; i++) {
            if (!(m.get(s[i]) instanceof Map)) {
                return null;
            }
            m = (Map<String, Object>) m.get(s[i]);
        }
        return m.containsKey(s[s.length - 1]) ? new Entry(m.get(s[s.length - 1])) : null;
    }

    /** The object that holds the member at the path, creating missing parents; null when a parent is not an object. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> parent(Map<String, Object> root, String[] s, boolean create) {
        Map<String, Object> m = root;
        for (int i = 0; i < s.length - 1; i++) {
            Object child = m.get(s[i]);
            if (child == null && !m.containsKey(s[i]) && create) {
                child = new LinkedHashMap<String, Object>();
                m.put(s[i], child);
            }
            if (!(child instanceof Map)) {
                return null;
            }
            m = (Map<String, Object>) child;
        }
        return m;
    }

    private static boolean set(Map<String, Object> root, String path, Object v) {
        String[] s = path.split("\\.");
        if (!parentsAreObjects(root, s)) {
            return false;
        }
        parent(root, s, true).put(s[s.length - 1], v);
        return true;
    }

    /** True when every parent on the path that exists is an object (the missing ones can be made). */
    @SuppressWarnings("unchecked")
    private static boolean parentsAreObjects(Map<String, Object> root, String[] s) {
        Map<String, Object> m = root;
        for (int i = 0; i < s.length - 1; i++) {
            if (!m.containsKey(s[i])) {
                return true;
            }
            if (!(m.get(s[i]) instanceof Map)) {
                return false;
            }
            m = (Map<String, Object>) m.get(s[i]);
        }
        return true;
    }

    private static void remove(Map<String, Object> root, String path) {
        String[] s = path.split("\\.");
        Map<String, Object> m = parent(root, s, false);
        if (m != null) {
            m.remove(s[s.length - 1]);
        }
    }

    private static void rename(Map<String, Object> root, String from, String to) {
        Entry moved = lookup(root, from);
        if (moved == null || to.startsWith(from + ".")) {
            return;
        }
        if (from.equals(to)) {
            return;
        }
        String[] f = from.split("\\.");
        String[] t = to.split("\\.");
        if (from.startsWith(to + ".")) {
            // the value replaces an object enclosing it, in that object's place
            parent(root, t, false).put(t[t.length - 1], moved.value);
            return;
        }
        remove(root, to);
        if (parentPath(from).equals(parentPath(to))) {
            Map<String, Object> m = parent(root, f, false);
            Map<String, Object> copy = new LinkedHashMap<>(m);
            m.clear();
            copy.forEach((k, v) -> m.put(k.equals(f[f.length - 1]) ? t[t.length - 1] : k, v));
            return;
        }
        if (!parentsAreObjects(root, t)) {
            return;
        }
        parent(root, t, true).put(t[t.length - 1], moved.value);
        remove(root, from);
    }

    private static String parentPath(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(0, dot);
    }

    @SuppressWarnings("unchecked")
    private static int names(Object v) {
        if (v instanceof Map<?, ?> m) {
            int n = m.size();
            for (Object x : m.values()) {
                n += names(x);
            }
            return n;
        }
        if (v instanceof List<?> l) {
            int n = 0;
            for (Object x : l) {
                n += names(x);
            }
            return n;
        }
        return 0;
    }

    private static String json(Object v) {
        if (v instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder("{");
            m.forEach((k, x) -> b.append(b.length() > 1 ? "," : "").append('"').append(k).append("\":").append(json(x)));
            return b.append('}').toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder b = new StringBuilder("[");
            for (Object x : l) {
                b.append(b.length() > 1 ? "," : "").append(json(x));
            }
            return b.append(']').toString();
        }
        if (v instanceof String s) {
            return '"' + s + '"';
        }
        return String.valueOf(v);
    }
}
