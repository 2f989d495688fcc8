package io.streamprocessor.transport.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Test helper: a strict parser of the two formats {@code /metrics} speaks, written from their
 * specifications because no maintained Java parser of them exists (Prometheus' own parsers are in
 * Go and Python): the Prometheus text format 0.0.4 ("Exposition formats", text format details) and
 * OpenMetrics 1.0 text. Anything they do not allow is an {@link IllegalArgumentException} naming the
 * line: a sample before its family's TYPE, a family split in two groups, two TYPE or HELP lines for
 * one name, a repeated series, a malformed name, label or value, a counter not ending in
 * {@code _total}, histogram buckets out of order or not cumulative or without {@code +Inf} equal to
 * {@code _count}, and for OpenMetrics a missing or non-final {@code # EOF} or a UNIT that is not
 * the name's suffix.
 */
public final class Exposition {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TEXT_TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");
    private static final Set<String> OM_TYPES = Set.of("counter", "gauge", "histogram", "gaugehistogram", "stateset",
        "info", "summary", "unknown");

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    /** One family: its TYPE, HELP, UNIT (OpenMetrics) and samples, in order. */
    public static final class Family {
        public final String name;
        public String type;
        public String help;
        public String unit;
        public final List<Sample> samples = new ArrayList<>();

        Family(String name) {
            this.name = name;
        }
    }

    public final Map<String, Family> families = new LinkedHashMap<>();
    private final boolean openMetrics;

    private Exposition(boolean openMetrics) {
        this.openMetrics = openMetrics;
    }

    public static Exposition parseText(String body) {
        return new Exposition(false).parse(body);
    }

    public static Exposition parseOpenMetrics(String body) {
        return new Exposition(true).parse(body);
    }

    /** The value of the sample {@code name} with exactly these labels ({@code k1, v1, k2, v2, ...}). */
    public double value(String name, String... labels) {
        Map<String, String> want = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            want.put(labels[i], labels[i + 1]);
        }
        for (Family f : families.values()) {
            for (Sample s : f.samples) {
                if (s.name.equals(name) && new TreeMap<>(s.labels).equals(want)) {
                    return s.value;
                }
            }
        }
        throw new AssertionError("no sample " + name + want + " among " + families.keySet());
    }

    /** The samples named {@code name}, whatever their labels. */
    public List<Sample> samples(String name) {
        List<Sample> out = new ArrayList<>();
        for (Family f : families.values()) {
            for (Sample s : f.samples) {
                if (s.name.equals(name)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    private Exposition parse(String body) {
        if (!body.endsWith("\n")) {
            throw new IllegalArgumentException("the last line does not end with a line feed");
        }
        String[] lines = body.substring(0, body.length() - 1).split("\n", -1);
        Set<String> series = new HashSet<>();
        Family current = null;
        boolean eof = false;
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            String where = "line " + (n + 1) + " '" + line + "': ";
            if (eof) {
                throw new IllegalArgumentException(where + "after # EOF");
            }
            if (openMetrics && line.equals("# EOF")) {
                eof = true;
                continue;
            }
            if (line.isEmpty()) {
                if (openMetrics) {
                    throw new IllegalArgumentException(where + "empty line");
                }
                continue;
            }
            if (line.startsWith("#")) {
                current = meta(line, where, current);
                continue;
            }
            Sample s = sample(line, where);
            Family f = familyOf(s.name, where);
            if (f != current) {
                throw new IllegalArgumentException(where + "sample outside the group of its family " + f.name);
            }
            String id = s.name + new TreeMap<>(s.labels);
            if (!series.add(id)) {
                throw new IllegalArgumentException(where + "repeated series");
            }
            f.samples.add(s);
        }
        if (openMetrics && !eof) {
            throw new IllegalArgumentException("no # EOF at the end");
        }
        for (Family f : families.values()) {
            check(f);
        }
        return this;
    }

    private Family meta(String line, String where, Family current) {
        String[] parts = line.split(" ", 4);
        boolean help = parts.length >= 3 && parts[0].equals("#") && parts[1].equals("HELP");
        boolean type = parts.length >= 3 && parts[0].equals("#") && parts[1].equals("TYPE");
        boolean unit = openMetrics && parts.length >= 3 && parts[0].equals("#") && parts[1].equals("UNIT");
        if (!help && !type && !unit) {
            if (openMetrics) {
                throw new IllegalArgumentException(where + "not HELP, TYPE, UNIT or EOF");
            }
            return current; // a comment
        }
        String name = parts[2];
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(where + "bad metric name");
        }
        Family f = families.get(name);
        if (f == null) {
            f = new Family(name);
            families.put(name, f);
        } else if (f != current || !f.samples.isEmpty()) {
            throw new IllegalArgumentException(where + "metadata of " + name + " away from the start of its group");
        }
        String text = parts.length == 4 ? parts[3] : "";
        if (help) {
            if (f.help != null) {
                throw new IllegalArgumentException(where + "second HELP");
            }
            f.help = unescape(text, openMetrics, where);
        } else if (type) {
            if (f.type != null || !(openMetrics ? OM_TYPES : TEXT_TYPES).contains(text)) {
                throw new IllegalArgumentException(where + "second TYPE, or an unknown type");
            }
            f.type = text;
        } else {
            if (f.unit != null || text.isEmpty() || !name.endsWith("_" + text)) {
                throw new IllegalArgumentException(where + "UNIT is not the suffix of the name");
            }
            f.unit = text;
        }
        return f;
    }

    private Sample sample(String line, String where) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(where + "bad metric name");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq);
                if (!LABEL_NAME.matcher(label).matches() || line.charAt(eq + 1) != '"') {
                    throw new IllegalArgumentException(where + "bad label");
                }
                int j = eq + 2;
                StringBuilder raw = new StringBuilder();
                while (line.charAt(j) != '"') {
                    if (line.charAt(j) == '\\') {
                        raw.append(line.charAt(j++));
                    }
                    raw.append(line.charAt(j++));
                }
                if (labels.put(label, unescape(raw.toString(), true, where)) != null) {
                    throw new IllegalArgumentException(where + "label " + label + " twice");
                }
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                } else if (line.charAt(i) != '}') {
                    throw new IllegalArgumentException(where + "expected , or } after a label");
                }
            }
            i++;
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new IllegalArgumentException(where + "no space before the value");
        }
        String[] rest = line.substring(i + 1).split(" ", -1);
        if (rest.length > 2) {
            throw new IllegalArgumentException(where + "more than a value and a timestamp");
        }
        return new Sample(name, labels, number(rest[0], where));
    }

    private static double number(String s, String where) {
        switch (s) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                if (!s.matches("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
                    throw new IllegalArgumentException(where + "bad value " + s);
                }
                return Double.parseDouble(s);
        }
    }

    private static String unescape(String s, boolean quotes, String where) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = ++i < s.length() ? s.charAt(i) : 0;
            if (e == '\\') {
                out.append('\\');
            } else if (e == 'n') {
                out.append('\n');
            } else if (e == '"' && quotes) {
                out.append('"');
            } else {
                throw new IllegalArgumentException(where + "bad escape");
            }
        }
        return out.toString();
    }

    /** The family a sample belongs to: its own name, or that name less a suffix its type allows. */
    private Family familyOf(String name, String where) {
        for (String suffix : new String[] {"", "_total", "_created", "_bucket", "_sum", "_count", "_info"}) {
            if (!name.endsWith(suffix)) {
                continue;
            }
            Family f = families.get(name.substring(0, name.length() - suffix.length()));
            if (f != null && f.type != null && allowed(f.type, suffix)) {
                return f;
            }
        }
        throw new IllegalArgumentException(where + "sample with no TYPE before it");
    }

    private boolean allowed(String type, String suffix) {
        return switch (type) {
            case "counter" -> openMetrics ? suffix.equals("_total") || suffix.equals("_created") : suffix.isEmpty();
            case "histogram", "gaugehistogram" -> suffix.equals("_bucket") || suffix.equals("_sum")
                || suffix.equals("_count") || suffix.equals("_created");
            case "summary" -> suffix.isEmpty() || suffix.equals("_sum") || suffix.equals("_count") || suffix.equals("_created");
            case "info" -> suffix.equals("_info");
            default -> suffix.isEmpty();
        };
    }

    private void check(Family f) {
        if (f.type == null) {
            throw new IllegalArgumentException(f.name + ": HELP without TYPE");
        }
        if (f.type.equals("counter") && !openMetrics && !f.name.endsWith("_total")) {
            throw new IllegalArgumentException(f.name + ": a counter whose name does not end in _total");
        }
        if (f.type.equals("counter")) {
            for (Sample s : f.samples) {
                if (s.name.endsWith("_total") && !(s.value >= 0)) {
                    throw new IllegalArgumentException(f.name + ": a negative or NaN counter");
                }
            }
        }
        if (f.type.equals("histogram")) {
            checkHistogram(f);
        }
    }

    /** Per label set: buckets by ascending {@code le}, cumulative, ending with +Inf equal to {@code _count}. */
    private static void checkHistogram(Family f) {
        Map<String, List<Sample>> buckets = new LinkedHashMap<>();
        Map<String, Double> counts = new LinkedHashMap<>();
        for (Sample s : f.samples) {
            Map<String, String> rest = new TreeMap<>(s.labels);
            rest.remove("le");
            String key = rest.toString();
            if (s.name.equals(f.name + "_bucket")) {
                if (!s.labels.containsKey("le")) {
                    throw new IllegalArgumentException(f.name + ": a bucket without le");
                }
                buckets.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
            } else if (s.name.equals(f.name + "_count")) {
                counts.put(key, s.value);
            }
        }
        for (Map.Entry<String, List<Sample>> e : buckets.entrySet()) {
            double le = Double.NEGATIVE_INFINITY;
            double count = 0;
            for (Sample b : e.getValue()) {
                double bound = number(b.labels.get("le"), f.name + ": le ");
                if (!(bound > le) || b.value < count) {
                    throw new IllegalArgumentException(f.name + ": buckets out of order or not cumulative at le=" + bound);
                }
                le = bound;
                count = b.value;
            }
            if (le != Double.POSITIVE_INFINITY || !counts.containsKey(e.getKey()) || counts.get(e.getKey()) != count) {
                throw new IllegalArgumentException(f.name + ": no +Inf bucket equal to _count");
            }
        }
    }
}
