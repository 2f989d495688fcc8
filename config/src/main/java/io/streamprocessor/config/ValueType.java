package io.streamprocessor.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the text of a setting becomes a value: the same rules for the file, the environment and
 * flags. {@link #parse} throws {@link IllegalArgumentException} with a message saying what is
 * allowed; the loader adds where the text came from.
 */
abstract class ValueType<T> {
    /** For help: what a value looks like. */
    abstract String describe();

    abstract T parse(String text);

    String format(T value) {
        return String.valueOf(value);
    }

    /** True for a mapping of names to texts, read from a YAML mapping rather than from one text. */
    boolean isMapping() {
        return false;
    }

    static IllegalArgumentException bad(String text, String allowed) {
        return new IllegalArgumentException("'" + text + "' is not allowed; expected " + allowed);
    }

    // ------------------------------------------------------------------ kinds

    /** A whole number in a range; with {@code auto}, the word auto (or 0) means "choose for me". */
    static ValueType<Integer> integer(int min, int max, boolean auto) {
        return new ValueType<>() {
            @Override
            String describe() {
                return "a whole number from " + min + " to " + max + (auto ? ", or auto" : "");
            }

            @Override
            Integer parse(String text) {
                String t = text.trim();
                if (auto && t.equalsIgnoreCase("auto")) {
                    return 0;
                }
                long v;
                try {
                    v = Long.parseLong(t.replace("_", ""));
                } catch (NumberFormatException e) {
                    throw bad(text, describe());
                }
                if (v < min || v > max) {
                    throw new IllegalArgumentException(t + " is out of range; allowed: " + min + " to " + max
                        + (auto ? ", or auto" : ""));
                }
                return (int) v;
            }

            @Override
            String format(Integer value) {
                return auto && value == 0 ? "auto" : String.valueOf(value);
            }
        };
    }

    /** A whole number with an extra rule, e.g. a power of two. */
    static ValueType<Integer> integer(int min, int max, Predicate<Integer> rule, String ruleText) {
        ValueType<Integer> base = integer(min, max, false);
        return new ValueType<>() {
            @Override
            String describe() {
                return ruleText + " from " + min + " to " + max;
            }

            @Override
            Integer parse(String text) {
                Integer v = base.parse(text);
                if (!rule.test(v)) {
                    throw new IllegalArgumentException(v + " is not " + ruleText + "; allowed: " + describe());
                }
                return v;
            }
        };
    }

    private static final Pattern SIZE = Pattern.compile("(\\d[\\d_]*)\\s*([A-Za-z]*)");

    /** Bytes: a number with an optional unit B, KB, MB, GB (powers of 1000) or KiB, MiB, GiB (of 1024). */
    static ValueType<Long> size(long min, long max, boolean auto) {
        return new ValueType<>() {
            @Override
            String describe() {
                return "a size such as 16MiB (units B, KiB, MiB, GiB, KB, MB, GB) from " + format(min) + " to "
                    + format(max) + (auto ? ", or auto" : "");
            }

            @Override
            Long parse(String text) {
                String t = text.trim();
                if (auto && t.equalsIgnoreCase("auto")) {
                    return 0L;
                }
                Matcher m = SIZE.matcher(t);
                if (!m.matches()) {
                    throw bad(text, describe());
                }
                long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                    case "", "b" -> 1L;
                    case "kb" -> 1000L;
                    case "mb" -> 1000_000L;
                    case "gb" -> 1000_000_000L;
                    case "kib" -> 1L << 10;
                    case "mib" -> 1L << 20;
                    case "gib" -> 1L << 30;
                    default -> throw bad(text, describe());
                };
                long n;
                try {
                    n = Math.multiplyExact(Long.parseLong(m.group(1).replace("_", "")), unit);
                } catch (ArithmeticException | NumberFormatException e) {
                    throw bad(text, describe());
                }
                if (auto && n == 0) {
                    return 0L;
                }
                if (n < min || n > max) {
                    throw new IllegalArgumentException(t + " is out of range; allowed: " + format(min) + " to "
                        + format(max) + (auto ? ", or auto" : ""));
                }
                return n;
            }

            @Override
            String format(Long v) {
                if (auto && v == 0) {
                    return "auto";
                }
                return formatSize(v);
            }
        };
    }

    static String formatSize(long v) {
        if (v != 0 && v % (1L << 30) == 0) {
            return v / (1L << 30) + "GiB";
        }
        if (v != 0 && v % (1L << 20) == 0) {
            return v / (1L << 20) + "MiB";
        }
        if (v != 0 && v % (1L << 10) == 0) {
            return v / (1L << 10) + "KiB";
        }
        return v + "B";
    }

    private static final Pattern DURATION = Pattern.compile("(\\d[\\d_]*)\\s*(ms|s|m|h|d)");

    /** A duration with a unit: ms, s, m, h or d (e.g. 250ms, 60s, 5m, 1h); 0 needs no unit. */
    static ValueType<Duration> duration(Duration min, Duration max) {
        return new ValueType<>() {
            @Override
            String describe() {
                return "a duration with a unit (ms, s, m, h, d) such as 60s, from " + format(min) + " to "
                    + format(max);
            }

            @Override
            Duration parse(String text) {
                String t = text.trim();
                Duration d;
                if (t.equals("0")) {
                    d = Duration.ZERO;
                } else {
                    Matcher m = DURATION.matcher(t);
                    if (!m.matches()) {
                        String hint = t.matches("\\d+") ? " (a unit is needed: 60 what? write 60s or 60ms)" : "";
                        throw new IllegalArgumentException("'" + text + "' is not a duration" + hint
                            + "; expected " + describe());
                    }
                    long n;
                    try {
                        n = Long.parseLong(m.group(1).replace("_", ""));
                        long millis = switch (m.group(2)) {
                            case "ms" -> n;
                            case "s" -> Math.multiplyExact(n, 1000L);
                            case "m" -> Math.multiplyExact(n, 60_000L);
                            case "h" -> Math.multiplyExact(n, 3_600_000L);
                            default -> Math.multiplyExact(n, 86_400_000L);
                        };
                        d = Duration.ofMillis(millis);
                    } catch (ArithmeticException | NumberFormatException e) {
                        throw bad(text, describe());
                    }
                }
                if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                    throw new IllegalArgumentException(t + " is out of range; allowed: " + format(min) + " to "
                        + format(max));
                }
                return d;
            }

            @Override
            String format(Duration d) {
                return formatDuration(d);
            }
        };
    }

    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        // seconds up to five minutes read best (60s, 90s, 120s); minutes past that (5m, 30m)
        if (ms % 60_000L == 0 && ms >= 300_000L) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000L == 0) {
            return ms / 1000L + "s";
        }
        return ms + "ms";
    }

    /**
     * One of an enum's constants by its configuration name, case-insensitive; with {@code auto},
     * the word auto is null, meaning "choose for me".
     */
    static <E extends Enum<E>> ValueType<E> choice(E[] constants, Function<E, String> name, boolean auto) {
        List<String> allowed = new ArrayList<>();
        if (auto) {
            allowed.add("auto");
        }
        for (E e : constants) {
            allowed.add(name.apply(e));
        }
        return new ValueType<>() {
            @Override
            String describe() {
                return "one of " + String.join(", ", allowed);
            }

            @Override
            E parse(String text) {
                String t = text.trim().toLowerCase(Locale.ROOT);
                for (E e : constants) {
                    if (name.apply(e).equals(t)) {
                        return e;
                    }
                }
                if (auto && t.equals("auto")) {
                    return null;
                }
                throw new IllegalArgumentException("'" + text + "' is not allowed; allowed: "
                    + String.join(", ", allowed));
            }

            @Override
            String format(E value) {
                return value == null ? "auto" : name.apply(value);
            }
        };
    }

    /** Non-empty text with an extra check that throws its own message. */
    static ValueType<String> text(String description, Consumer<String> check) {
        return new ValueType<>() {
            @Override
            String describe() {
                return description;
            }

            @Override
            String parse(String text) {
                String t = text.trim();
                if (t.isEmpty()) {
                    throw new IllegalArgumentException("empty; expected " + description);
                }
                check.accept(t);
                return t;
            }
        };
    }

    /** A number in (0, 1], such as 0.01 for one in a hundred. */
    static ValueType<Double> fraction() {
        return new ValueType<>() {
            @Override
            String describe() {
                return "a number above 0 and at most 1, such as 0.01";
            }

            @Override
            Double parse(String text) {
                double v;
                try {
                    v = Double.parseDouble(text.trim());
                } catch (NumberFormatException e) {
                    throw bad(text, describe());
                }
                if (!(v > 0 && v <= 1)) {
                    throw bad(text, describe());
                }
                return v;
            }
        };
    }

    /** true or false. */
    static ValueType<Boolean> bool() {
        return new ValueType<>() {
            @Override
            String describe() {
                return "true or false";
            }

            @Override
            Boolean parse(String text) {
                return switch (text.trim().toLowerCase(Locale.ROOT)) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw bad(text, describe());
                };
            }
        };
    }

    /** Names to texts, passed through as given (such as a Kafka producer's properties); only in the file. */
    static ValueType<java.util.Map<String, String>> mapping(String description) {
        return new ValueType<>() {
            @Override
            String describe() {
                return description;
            }

            @Override
            java.util.Map<String, String> parse(String text) {
                throw new IllegalArgumentException("expected " + description + " on the lines below the key, such as "
                    + "'linger.ms: 10'");
            }

            @Override
            boolean isMapping() {
                return true;
            }
        };
    }

    /** Text that may be empty, which means "not set: take it from elsewhere". */
    static ValueType<String> optionalText(String description) {
        return new ValueType<>() {
            @Override
            String describe() {
                return description + ", or empty";
            }

            @Override
            String parse(String text) {
                return text.trim();
            }
        };
    }
}
