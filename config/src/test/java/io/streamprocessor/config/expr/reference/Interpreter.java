package io.streamprocessor.config.expr.reference;

import io.streamprocessor.config.expr.reference.Node.Type;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * The documented meaning of expressions (README "Configuration", ARCHITECTURE.md "The expression
 * language"), evaluated the obvious way over a {@link RefEvent}'s plain Java values:
 *
 * <ul>
 * <li>numbers are doubles and NaN means "no value": a missing member, a null, a value of another
 *     type, {@code x / 0} and {@code x % 0} have none, and arithmetic on none gives none;</li>
 * <li>a comparison holds only when both sides have a value of the compared type, so it is false
 *     when one is missing, null or of the wrong type, and {@code !} of it is true;</li>
 * <li>a member of data takes the type the other side asks for; two members compared with
 *     {@code ==}/{@code !=} are equal when they hold the same type and value; a member used as a
 *     condition holds when it is {@code true}; {@code c ? m1 : m2} over members is the member chosen;</li>
 * <li>{@code has(m)} holds for a present member, null included; {@code m == null} only for a present null;</li>
 * <li>{@code round} rounds half away from zero; {@code min}/{@code max} have no value when either side has none.</li>
 * </ul>
 */
final class Interpreter {
    /** A member that is not there, as opposed to a JSON null. */
    static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "<missing>";
        }
    };
    /** Integral doubles up to 2^53 are written by {@code set} as integers: every one of them is exact. */
    private static final double MAX_EXACT_INTEGER = 9_007_199_254_740_992.0;

    private final RefEvent event;

    Interpreter(RefEvent event) {
        this.event = event;
    }

    // ------------------------------------------------------------------ set

    /** What {@code set} writes for this expression, or null when it leaves the member as it was. */
    Object assigned(Node n) {
        if (n instanceof Node.Member m) {
            Object v = member(m);
            return v instanceof Long || v instanceof Double || v instanceof String || v instanceof Boolean ? v : null;
        }
        return switch (n.type()) {
            case NUMBER -> {
                double v = num(n);
                if (Double.isNaN(v) || Double.isInfinite(v)) {
                    yield null;
                }
                yield v == Math.rint(v) && Math.abs(v) <= MAX_EXACT_INTEGER ? (Object) (long) v : (Object) v;
            }
            case STRING -> str(n);
            case CONDITION -> cond(n);
            default -> throw new IllegalArgumentException("not assignable: " + n);
        };
    }

    // ------------------------------------------------------------------ values by type

    Object member(Node.Member m) {
        Object at = event.data();
        for (String name : m.path()) {
            if (!(at instanceof Map<?, ?> map) || !map.containsKey(name)) {
                return MISSING;
            }
            at = map.get(name);
        }
        return at;
    }

    /** A member, or a choice between members, as its raw value. */
    private Object raw(Node n) {
        if (n instanceof Node.Member m) {
            return member(m);
        }
        Node.Choice c = (Node.Choice) n;
        return cond(c.condition()) ? raw(c.then()) : raw(c.otherwise());
    }

    double num(Node n) {
        if (n instanceof Node.Num x) {
            return x.value();
        }
        if (n instanceof Node.Field f) {
            return f.name().equals("timestamp") ? (double) event.timestamp() : (double) event.receivedAt();
        }
        if (n instanceof Node.Member m) {
            return member(m) instanceof Number x ? x.doubleValue() : Double.NaN;
        }
        if (n instanceof Node.Unary u) {
            return -num(u.operand());
        }
        if (n instanceof Node.Choice c) {
            return cond(c.condition()) ? num(c.then()) : num(c.otherwise());
        }
        if (n instanceof Node.Binary b) {
            double x = num(b.left());
            double y = num(b.right());
            return switch (b.op()) {
                case "+" -> x + y;
                case "-" -> x - y;
                case "*" -> x * y;
                case "/" -> y == 0 ? Double.NaN : x / y;
                default -> y == 0 ? Double.NaN : x % y;
            };
        }
        Node.Call c = (Node.Call) n;
        double x = num(c.args().get(0));
        if (c.args().size() == 2) {
            double y = num(c.args().get(1));
            if (Double.isNaN(x) || Double.isNaN(y)) {
                return Double.NaN;
            }
            return c.function().equals("min") ? Math.min(x, y) : Math.max(x, y);
        }
        return switch (c.function()) {
            case "abs" -> Math.abs(x);
            case "floor" -> Math.floor(x);
            case "ceil" -> Math.ceil(x);
            default -> round(x);
        };
    }

    /** Half away from zero, computed exactly in decimal. */
    private static double round(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return x;
        }
        return new BigDecimal(x).setScale(0, RoundingMode.HALF_UP).doubleValue();
    }

    String str(Node n) {
        if (n instanceof Node.Str s) {
            return s.value();
        }
        if (n instanceof Node.Field f) {
            return f.name().equals("type") ? event.type() : event.source();
        }
        if (n instanceof Node.Member m) {
            return member(m) instanceof String s ? s : null;
        }
        Node.Choice c = (Node.Choice) n;
        return cond(c.condition()) ? str(c.then()) : str(c.otherwise());
    }

    boolean cond(Node n) {
        if (n instanceof Node.Bool b) {
            return b.value();
        }
        if (n instanceof Node.Member m) {
            return Boolean.TRUE.equals(member(m));
        }
        if (n instanceof Node.Choice c) {
            return cond(c.condition()) ? cond(c.then()) : cond(c.otherwise());
        }
        if (n instanceof Node.Unary u) {
            return !cond(u.operand());
        }
        if (n instanceof Node.Call c) {
            return member((Node.Member) c.args().get(0)) != MISSING;
        }
        if (n instanceof Node.Method m) {
            String s = str(m.target());
            String p = str(m.arg());
            if (s == null || p == null) {
                return false;
            }
            return switch (m.method()) {
                case "startsWith" -> s.startsWith(p);
                case "endsWith" -> s.endsWith(p);
                default -> s.contains(p);
            };
        }
        if (n instanceof Node.In in) {
            return in(in);
        }
        Node.Binary b = (Node.Binary) n;
        return switch (b.op()) {
            case "&&" -> cond(b.left()) && cond(b.right());
            case "||" -> cond(b.left()) || cond(b.right());
            default -> compare(b);
        };
    }

    private boolean in(Node.In in) {
        List<Node> elements = in.elements();
        if (elements.isEmpty()) {
            return false;
        }
        if (elements.get(0) instanceof Node.Str) {
            String s = str(in.operand());
            return s != null && elements.stream().anyMatch(e -> ((Node.Str) e).value().equals(s));
        }
        double v = num(in.operand());
        return elements.stream().anyMatch(e -> num(e) == v);
    }

    // ------------------------------------------------------------------ comparisons

    private boolean compare(Node.Binary b) {
        String op = b.op();
        boolean equality = op.equals("==") || op.equals("!=");
        boolean equal = op.equals("==");
        Type tl = b.left().type();
        Type tr = b.right().type();
        if (tl == Type.NULL || tr == Type.NULL) {
            if (tl == tr) {
                return equal;
            }
            Object v = raw(tl == Type.NULL ? b.right() : b.left());
            return v != MISSING && (v == null) == equal;
        }
        if (tl == Type.MEMBER && tr == Type.MEMBER && equality) {
            return sameTypeEquals(raw(b.left()), raw(b.right()), equal);
        }
        Type t = tl == Type.MEMBER ? tr : tl;
        if (t == Type.STRING) {
            String x = str(b.left());
            String y = str(b.right());
            return x != null && y != null && x.equals(y) == equal;
        }
        if (t == Type.CONDITION) {
            Boolean x = condition(b.left());
            Boolean y = condition(b.right());
            return x != null && y != null && x.equals(y) == equal;
        }
        double x = num(b.left());
        double y = num(b.right());
        if (Double.isNaN(x) || Double.isNaN(y)) {
            return false;
        }
        return switch (op) {
            case "==" -> x == y;
            case "!=" -> x != y;
            case "<" -> x < y;
            case "<=" -> x <= y;
            case ">" -> x > y;
            default -> x >= y;
        };
    }

    /** A side compared with a condition: a member counts only when it holds true or false. */
    private Boolean condition(Node n) {
        if (n.type() == Type.MEMBER) {
            return raw(n) instanceof Boolean v ? v : null;
        }
        return cond(n);
    }

    /** Two members: equal or not when both hold a value of one type, otherwise the comparison is false. */
    private static boolean sameTypeEquals(Object x, Object y, boolean equal) {
        if (x instanceof Number p && y instanceof Number q) {
            return (p.doubleValue() == q.doubleValue()) == equal;
        }
        if (x instanceof String && y instanceof String || x instanceof Boolean && y instanceof Boolean) {
            return x.equals(y) == equal;
        }
        if (x == null && y == null) {
            return equal;
        }
        return false;
    }
}
