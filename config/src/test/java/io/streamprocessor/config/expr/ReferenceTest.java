package io.streamprocessor.config.expr;

import io.streamprocessor.config.TestEvents;
import io.streamprocessor.config.expr.Compiler.Type;
import io.streamprocessor.engine.event.MutableEvent;
import io.streamprocessor.engine.pipeline.EventFilter;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compiled evaluators against a naive interpreter of the same documented rules over plain
 * Java maps, on random expressions and random events (missing members, nulls, wrong types).
 */
class ReferenceTest {
    private static final Object MISSING = new Object();
    private static final String[] MEMBERS = {"data.a", "data.b", "data.c", "data.o.e", "data[\"k-1\"]"};
    private static final String[] STRINGS = {"\"x\"", "\"xy\"", "\"\"", "\"é\"", "\"web-\"", "\"metric\""};

    private final Random random = new Random(20_231_107);

    @Test
    void compiledConditionsAgreeWithTheReferenceOnRandomInput() {
        List<String> events = new ArrayList<>();
        List<MutableEvent> slots = new ArrayList<>();
        List<Reference> references = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String json = randomEvent();
            String type = i % 2 == 0 ? "metric" : "log";
            String source = i % 3 == 0 ? "web-1" : "db";
            events.add(json + " (" + type + ", " + source + ")");
            slots.add(TestEvents.event(type, source, json));
            references.add(new Reference(type, source,
                (Map<?, ?>) new Load(LoadSettings.builder().build()).loadFromString(json)));
        }
        int compiled = 0;
        for (int i = 0; i < 4000; i++) {
            String text = bool(3);
            EventFilter filter;
            Ast ast;
            try {
                filter = Expressions.condition(text);
                ast = Parser.parse(text);
            } catch (ExpressionException e) {
                continue;
            }
            compiled++;
            for (int e = 0; e < slots.size(); e++) {
                String event = events.get(e);
                assertEquals(references.get(e).bool(ast), filter.test(slots.get(e)), () -> text + " on " + event);
            }
        }
        assertTrue(compiled > 2000, "most random expressions should compile: " + compiled);
    }

    // ------------------------------------------------------------------ random input

    private String randomEvent() {
        StringBuilder sb = new StringBuilder("{");
        String[] keys = {"a", "b", "c", "k-1"};
        for (String k : keys) {
            if (random.nextInt(5) > 0) {
                sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":").append(randomValue());
            }
        }
        if (random.nextBoolean()) {
            sb.append(sb.length() > 1 ? "," : "").append("\"o\":")
                .append(random.nextInt(4) == 0 ? randomValue() : "{\"e\":" + randomValue() + "}");
        }
        return sb.append('}').toString();
    }

    private String randomValue() {
        return switch (random.nextInt(8)) {
            case 0 -> "null";
            case 1, 2 -> String.valueOf(random.nextInt(7) - 3);
            case 3 -> String.valueOf((random.nextInt(9) - 4) / 2.0);
            case 4, 5 -> STRINGS[random.nextInt(STRINGS.length)];
            case 6 -> String.valueOf(random.nextBoolean());
            default -> "[1, \"x\"]";
        };
    }

    private String member() {
        return MEMBERS[random.nextInt(MEMBERS.length)];
    }

    private String bool(int depth) {
        int choice = random.nextInt(depth <= 0 ? 6 : 14);
        String[] cmp = {"==", "!=", "<", "<=", ">", ">="};
        return switch (choice) {
            case 0 -> num(depth - 1) + " " + cmp[random.nextInt(6)] + " " + num(depth - 1);
            case 1 -> str(depth - 1) + (random.nextBoolean() ? " == " : " != ") + str(depth - 1);
            case 2 -> member();
            case 3 -> "has(" + member() + ")";
            case 4 -> member() + (random.nextBoolean() ? " == null" : " != null");
            case 5 -> member() + (random.nextBoolean() ? " == " : " != ") + (random.nextBoolean() ? member()
                : String.valueOf(random.nextBoolean()));
            case 6 -> "!" + "(" + bool(depth - 1) + ")";
            case 7 -> "(" + bool(depth - 1) + ") && (" + bool(depth - 1) + ")";
            case 8 -> "(" + bool(depth - 1) + ") || (" + bool(depth - 1) + ")";
            case 9 -> str(depth - 1) + "." + new String[] {"startsWith", "endsWith", "contains"}[random.nextInt(3)]
                + "(" + str(depth - 1) + ")";
            case 10 -> random.nextBoolean() ? str(depth - 1) + " in [\"x\", \"\", \"metric\"]"
                : num(depth - 1) + " in [0, 1, -1.5]";
            case 11 -> "(" + bool(depth - 1) + ") ? (" + bool(depth - 1) + ") : (" + bool(depth - 1) + ")";
            case 12 -> "(" + bool(depth - 1) + ") == (" + bool(depth - 1) + ")";
            default -> String.valueOf(random.nextBoolean());
        };
    }

    private String num(int depth) {
        int choice = random.nextInt(depth <= 0 ? 2 : 7);
        String[] ops = {"+", "-", "*", "/", "%"};
        return switch (choice) {
            case 0 -> String.valueOf(random.nextInt(5) - 1);
            case 1 -> member();
            case 2 -> "(" + num(depth - 1) + " " + ops[random.nextInt(5)] + " " + num(depth - 1) + ")";
            case 3 -> "-" + num(depth - 1);
            case 4 -> new String[] {"abs", "floor", "ceil", "round"}[random.nextInt(4)] + "(" + num(depth - 1) + ")";
            case 5 -> (random.nextBoolean() ? "min(" : "max(") + num(depth - 1) + ", " + num(depth - 1) + ")";
            default -> "(" + bool(depth - 1) + " ? " + num(depth - 1) + " : " + num(depth - 1) + ")";
        };
    }

    private String str(int depth) {
        int choice = random.nextInt(depth <= 0 ? 4 : 5);
        return switch (choice) {
            case 0 -> STRINGS[random.nextInt(STRINGS.length)];
            case 1 -> member();
            case 2 -> "type";
            case 3 -> "source";
            default -> "(" + bool(depth - 1) + " ? " + str(depth - 1) + " : " + str(depth - 1) + ")";
        };
    }

    // ------------------------------------------------------------------ the reference interpreter

    /** The documented rules, written the obvious way: null means "no value". */
    private record Reference(String type, String source, Map<?, ?> data) {
        Object member(Ast.Name n) {
            Object at = data;
            for (String segment : n.segments().subList(1, n.segments().size())) {
                if (!(at instanceof Map<?, ?> m) || !m.containsKey(segment)) {
                    return MISSING;
                }
                at = m.get(segment);
            }
            return at;
        }

        Double num(Ast a) {
            if (a instanceof Ast.Num n) {
                return n.value();
            }
            if (a instanceof Ast.Name n) {
                return member(n) instanceof Number x ? x.doubleValue() : null;
            }
            if (a instanceof Ast.Unary u) {
                Double v = num(u.operand());
                return v == null ? null : -v;
            }
            if (a instanceof Ast.Binary b) {
                Double l = num(b.left());
                Double r = num(b.right());
                if (l == null || r == null) {
                    return null;
                }
                return switch (b.op()) {
                    case "+" -> l + r;
                    case "-" -> l - r;
                    case "*" -> l * r;
                    case "/" -> r == 0 ? null : l / r;
                    default -> r == 0 ? null : l % r;
                };
            }
            if (a instanceof Ast.Call c) {
                Double x = num(c.args().get(0));
                Double y = c.args().size() > 1 ? num(c.args().get(1)) : Double.valueOf(0);
                if (x == null || y == null) {
                    return null;
                }
                return switch (c.function()) {
                    case "abs" -> Math.abs(x);
                    case "floor" -> Math.floor(x);
                    case "ceil" -> Math.ceil(x);
                    case "round" -> Math.signum(x) * Math.floor(Math.abs(x) + 0.5);
                    case "min" -> Math.min(x, y);
                    default -> Math.max(x, y);
                };
            }
            Ast.Conditional c = (Ast.Conditional) a;
            return bool(c.condition()) ? num(c.then()) : num(c.otherwise());
        }

        String str(Ast a) {
            if (a instanceof Ast.Str s) {
                return s.value();
            }
            if (a instanceof Ast.Name n) {
                if (n.text().equals("type")) {
                    return type;
                }
                if (n.text().equals("source")) {
                    return source;
                }
                return member(n) instanceof String s ? s : null;
            }
            Ast.Conditional c = (Ast.Conditional) a;
            return bool(c.condition()) ? str(c.then()) : str(c.otherwise());
        }

        boolean bool(Ast a) {
            if (a instanceof Ast.Bool b) {
                return b.value();
            }
            if (a instanceof Ast.Name n) {
                return Boolean.TRUE.equals(member(n));
            }
            if (a instanceof Ast.Unary u) {
                return !bool(u.operand());
            }
            if (a instanceof Ast.Call c) {
                return member((Ast.Name) c.args().get(0)) != MISSING;
            }
            if (a instanceof Ast.Method m) {
                String s = str(m.target());
                String p = str(m.args().get(0));
                if (s == null || p == null) {
                    return false;
                }
                return switch (m.method()) {
                    case "startsWith" -> s.startsWith(p);
                    case "endsWith" -> s.endsWith(p);
                    default -> s.contains(p);
                };
            }
            if (a instanceof Ast.In in) {
                if (in.elements().get(0) instanceof Ast.Str) {
                    String s = str(in.operand());
                    return s != null && in.elements().stream().anyMatch(e -> ((Ast.Str) e).value().equals(s));
                }
                Double v = num(in.operand());
                return v != null && in.elements().stream().anyMatch(e -> ((Ast.Num) e).value() == v);
            }
            if (a instanceof Ast.Conditional c) {
                return bool(c.condition()) ? bool(c.then()) : bool(c.otherwise());
            }
            Ast.Binary b = (Ast.Binary) a;
            switch (b.op()) {
                case "&&":
                    return bool(b.left()) && bool(b.right());
                case "||":
                    return bool(b.left()) || bool(b.right());
                default:
                    return compare(b);
            }
        }

        private boolean compare(Ast.Binary b) {
            boolean ne = b.op().equals("!=");
            Type tl = Compiler.typeOf(b.left());
            Type tr = Compiler.typeOf(b.right());
            if (tl == Type.NULL || tr == Type.NULL) {
                if (tl == tr) {
                    return !ne;
                }
                Object v = member((Ast.Name) (tl == Type.NULL ? b.right() : b.left()));
                return v != MISSING && (v == null) != ne;
            }
            if (b.left() instanceof Ast.Name && b.right() instanceof Ast.Name && tl == Type.MEMBER && tr == Type.MEMBER
                && (ne || b.op().equals("=="))) {
                Object x = member((Ast.Name) b.left());
                Object y = member((Ast.Name) b.right());
                if (x instanceof Number p && y instanceof Number q) {
                    return (p.doubleValue() == q.doubleValue()) != ne;
                }
                if (x instanceof String p && y instanceof String q || x instanceof Boolean p2 && y instanceof Boolean q2
                    || x == null && y == null) {
                    return java.util.Objects.equals(x, y) != ne;
                }
                return false;
            }
            Type t = tl == Type.MEMBER ? tr : tl;
            if (t == Type.STRING) {
                String x = str(b.left());
                String y = str(b.right());
                return x != null && y != null && x.equals(y) != ne;
            }
            if (t == Type.BOOLEAN) {
                Boolean x = b.left() instanceof Ast.Name n && tl == Type.MEMBER
                    ? (member(n) instanceof Boolean v ? v : null) : Boolean.valueOf(bool(b.left()));
                Boolean y = b.right() instanceof Ast.Name n && tr == Type.MEMBER
                    ? (member(n) instanceof Boolean v ? v : null) : Boolean.valueOf(bool(b.right()));
                return x != null && y != null && x.equals(y) != ne;
            }
            Double x = num(b.left());
            Double y = num(b.right());
            if (x == null || y == null) {
                return false;
            }
            return switch (b.op()) {
                case "==" -> x.doubleValue() == y;
                case "!=" -> x.doubleValue() != y;
                case "<" -> x < y;
                case "<=" -> x <= y;
                case ">" -> x > y;
                default -> x >= y;
            };
        }
    }
}
