package io.streamprocessor.config.expr.reference;

import io.streamprocessor.config.expr.reference.Node.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random, well-typed expression trees: every tree it builds is one the language accepts, so a
 * compile error in the test is a finding, never noise. Members of {@code data} appear wherever a
 * number, string or condition goes, alone or as both branches of {@code ?:}.
 *
 * <p>Deliberately left out: strings holding half of a surrogate pair (not text; the language
 * compares UTF-8 bytes), and {@code null} anywhere but beside a member of data (the language
 * refuses it there).
 */
final class TreeGenerator {
    /** Number literals as written: edges of rounding, of exact integers and of the double range. */
    static final String[] NUMBERS = {
        "0", "1", "2", "3", "5", "10", "100", "0.5", "2.5", "1.5", "0.25", "1e3", "2.5E-1", "1000", "60000",
        "1699999999000", "1700000000000", "4503599627370497", "0.49999999999999994", "9007199254740993", "1e308",
    };
    /**
     * String literals: empty, prefixes of each other, characters needing escapes, and non-ASCII at
     * the edges of the UTF-8 lengths (U+07FF, U+0800, U+10000) and a pair of surrogates.
     */
    static final String[] STRINGS = {
        "", "x", "xy", "yx", "é", "😀", "😀!", "web-", "web-1", "metric", "log", "3", "a\"b", "it's",
        "line\nbreak", "back\\slash", "tab\t", "\u07ff\u0800€", "\ud800\udc00",
    };
    /** Paths below data; some are absent from every event, some cross a member that is not an object. */
    static final List<List<String>> MEMBERS = List.of(
        List.of("a"), List.of("b"), List.of("c"), List.of("k-1"), List.of("x y"), List.of("é"), List.of("o"),
        List.of("o", "e"), List.of("o", "k-1"), List.of("a", "e"), List.of("missing"), List.of("o", "missing", "deep"));

    private static final String[] ARITHMETIC = {"+", "-", "*", "/", "%"};
    private static final String[] COMPARISONS = {"==", "!=", "<", "<=", ">", ">="};
    private static final String[] FUNCTIONS = {"abs", "floor", "ceil", "round"};
    private static final String[] METHODS = {"startsWith", "endsWith", "contains"};

    private final Random random;

    TreeGenerator(Random random) {
        this.random = random;
    }

    /** A condition for a filter; it may be a bare member (true when the member is {@code true}). */
    Node condition(int depth) {
        return cond(depth, true);
    }

    /** The expression of a {@code set}: a number, a string, a condition, or a member copied as it is. */
    Node assignment(int depth) {
        return switch (random.nextInt(4)) {
            case 0 -> num(depth, false);
            case 1 -> str(depth, false);
            case 2 -> cond(depth, false);
            default -> member();
        };
    }

    List<String> target() {
        List<List<String>> targets = List.of(List.of("out"), List.of("a"), List.of("k-1"), List.of("o", "e"),
            List.of("o", "n"), List.of("fresh", "deeper"), List.of("a", "e"));
        return targets.get(random.nextInt(targets.size()));
    }

    // ------------------------------------------------------------------ by type

    /** A number; with {@code member}, also a member of data (or a choice of members) read as a number. */
    Node num(int depth, boolean member) {
        if (depth <= 0 || random.nextInt(4) == 0) {
            int roll = random.nextInt(member ? 10 : 7);
            if (roll < 4) {
                return number();
            }
            if (roll < 7) {
                return new Node.Field(random.nextBoolean() ? "timestamp" : "receivedAt");
            }
            return member();
        }
        return switch (random.nextInt(member ? 8 : 7)) {
            case 0 -> new Node.Unary("-", num(depth - 1, true));
            case 1, 2 -> new Node.Binary(pick(ARITHMETIC), num(depth - 1, true), num(depth - 1, true));
            case 3 -> new Node.Call(pick(FUNCTIONS), List.of(num(depth - 1, true)));
            case 4 -> new Node.Call(random.nextBoolean() ? "min" : "max",
                List.of(num(depth - 1, true), num(depth - 1, true)));
            case 5, 6 -> choice(depth, d -> num(d, true), d -> num(d, false));
            default -> members(depth);
        };
    }

    /** A string; with {@code member}, also a member of data read as a string. */
    Node str(int depth, boolean member) {
        if (depth <= 0 || random.nextInt(3) == 0) {
            int roll = random.nextInt(member ? 8 : 5);
            if (roll < 3) {
                return new Node.Str(pick(STRINGS));
            }
            if (roll < 5) {
                return new Node.Field(random.nextBoolean() ? "type" : "source");
            }
            return member();
        }
        return random.nextInt(4) == 0 && member ? members(depth) : choice(depth, d -> str(d, true), d -> str(d, false));
    }

    /** A condition; with {@code member}, also a member of data read as a condition. */
    Node cond(int depth, boolean member) {
        if (depth <= 0 || random.nextInt(5) == 0) {
            return switch (random.nextInt(member ? 5 : 3)) {
                case 0 -> new Node.Bool(random.nextBoolean());
                case 1 -> new Node.Call("has", List.of(member()));
                case 2 -> nullTest();
                default -> member();
            };
        }
        int d = depth - 1;
        return switch (random.nextInt(member ? 16 : 15)) {
            case 0 -> new Node.Unary("!", cond(d, true));
            case 1, 2 -> new Node.Binary(random.nextBoolean() ? "&&" : "||", cond(d, true), cond(d, true));
            case 3, 4 -> new Node.Binary(pick(COMPARISONS), num(d, true), num(d, true));
            case 5 -> new Node.Binary(equality(), str(d, true), str(d, true));
            case 6 -> new Node.Binary(equality(), cond(d, true), cond(d, true));
            case 7 -> new Node.Binary(equality(), members(d), random.nextBoolean() ? members(d) : cond(d, true));
            case 8 -> nullTest();
            case 9 -> in(d);
            case 10 -> new Node.Method(pick(METHODS), str(d, true), str(d, true));
            case 11, 12 -> choice(depth, x -> cond(x, true), x -> cond(x, false));
            case 13 -> new Node.Choice(cond(d, true), members(d), cond(d, false));
            case 14 -> new Node.Call("has", List.of(member()));
            default -> members(depth);
        };
    }

    /** A member, or {@code c ? m1 : m2} over members: either way its type is decided by its context. */
    Node members(int depth) {
        if (depth <= 0 || random.nextInt(3) > 0) {
            return member();
        }
        return new Node.Choice(cond(depth - 1, true), members(depth - 1), members(depth - 1));
    }

    // ------------------------------------------------------------------ pieces

    private interface Sub {
        Node make(int depth);
    }

    /** {@code c ? a : b} of the type {@code any} makes; one branch from {@code strict} keeps that type. */
    private Node choice(int depth, Sub any, Sub strict) {
        boolean strictFirst = random.nextBoolean();
        Node a = strictFirst ? strict.make(depth - 1) : any.make(depth - 1);
        Node b = strictFirst ? any.make(depth - 1) : strict.make(depth - 1);
        return new Node.Choice(cond(depth - 1, true), a, b);
    }

    private Node nullTest() {
        return switch (random.nextInt(7)) {
            case 0 -> new Node.Binary(equality(), new Node.Null(), new Node.Null());
            case 1, 2, 3 -> new Node.Binary(equality(), new Node.Null(), member());
            default -> new Node.Binary(equality(), member(), new Node.Null());
        };
    }

    private Node in(int depth) {
        boolean strings = random.nextBoolean();
        List<Node> elements = new ArrayList<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            if (strings) {
                elements.add(new Node.Str(pick(STRINGS)));
            } else {
                Node num = number();
                elements.add(random.nextInt(3) == 0 ? new Node.Unary("-", num) : num);
            }
        }
        return new Node.In(strings ? str(depth, true) : num(depth, true), elements);
    }

    Node member() {
        return new Node.Member(MEMBERS.get(random.nextInt(MEMBERS.size())));
    }

    private Node.Num number() {
        String text = pick(NUMBERS);
        return new Node.Num(Double.parseDouble(text), text);
    }

    private String equality() {
        return random.nextBoolean() ? "==" : "!=";
    }

    private String pick(String[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    /** True when the tree's root has the type {@code set} would write (used to check the generator itself). */
    static boolean assignable(Node n) {
        return n instanceof Node.Member || n.type() != Type.MEMBER && n.type() != Type.NULL;
    }
}
