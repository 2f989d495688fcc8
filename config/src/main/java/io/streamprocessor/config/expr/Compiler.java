package io.streamprocessor.config.expr;

import io.streamprocessor.engine.event.DataTape;
import io.streamprocessor.engine.event.FieldPath;

import java.util.List;

/**
 * Type-checks an {@link Ast} and builds its evaluator tree, folding what does not depend on the
 * event. Every mistake is reported here, with its position, so evaluation never fails.
 */
final class Compiler {
    /** Static types. MEMBER is a member of {@code data}, whose JSON type is known only per event. */
    enum Type {
        NUMBER("a number"), STRING("a string"), BOOLEAN("a condition (true or false)"),
        MEMBER("a member of data"), NULL("null");

        final String description;

        Type(String description) {
            this.description = description;
        }
    }

    static final String NAMES = "type, source, timestamp, receivedAt and data.<member>";
    static final String FUNCTIONS = "has(data.x), abs(n), floor(n), ceil(n), round(n), min(a, b), max(a, b)";
    static final String METHODS = "startsWith, endsWith, contains";

    private Compiler() {
    }

    // ------------------------------------------------------------------ types

    static Type typeOf(Ast a) {
        if (a instanceof Ast.Num) {
            return Type.NUMBER;
        }
        if (a instanceof Ast.Str) {
            return Type.STRING;
        }
        if (a instanceof Ast.Bool) {
            return Type.BOOLEAN;
        }
        if (a instanceof Ast.Null) {
            return Type.NULL;
        }
        if (a instanceof Ast.Name n) {
            return nameType(n);
        }
        if (a instanceof Ast.Call c) {
            return switch (c.function()) {
                case "has" -> Type.BOOLEAN;
                case "abs", "floor", "ceil", "round", "min", "max" -> Type.NUMBER;
                default -> throw new ExpressionException("unknown function " + c.function() + "(); the functions are "
                    + FUNCTIONS, c.position());
            };
        }
        if (a instanceof Ast.Method m) {
            return switch (m.method()) {
                case "startsWith", "endsWith", "contains" -> Type.BOOLEAN;
                default -> throw new ExpressionException("unknown method " + m.method() + "(); strings have "
                    + METHODS, m.position());
            };
        }
        if (a instanceof Ast.Unary u) {
            return u.op().equals("!") ? Type.BOOLEAN : Type.NUMBER;
        }
        if (a instanceof Ast.Binary b) {
            return switch (b.op()) {
                case "+", "-", "*", "/", "%" -> Type.NUMBER;
                default -> Type.BOOLEAN;
            };
        }
        if (a instanceof Ast.In) {
            return Type.BOOLEAN;
        }
        Ast.Conditional c = (Ast.Conditional) a;
        Type t = typeOf(c.then());
        Type o = typeOf(c.otherwise());
        if (t == Type.NULL || o == Type.NULL) {
            throw new ExpressionException("a branch of ?: cannot be null", c.position());
        }
        if (t == o || o == Type.MEMBER) {
            return t;
        }
        if (t == Type.MEMBER) {
            return o;
        }
        throw new ExpressionException("the branches of ?: differ: " + t.description + " and " + o.description,
            c.position());
    }

    private static Type nameType(Ast.Name n) {
        String first = n.segments().get(0);
        int count = n.segments().size();
        switch (first) {
            case "data":
                if (count == 1) {
                    throw new ExpressionException("data is an object; name one of its members, e.g. data.value",
                        n.position());
                }
                return Type.MEMBER;
            case "type", "source", "timestamp", "receivedAt":
                if (count > 1) {
                    throw new ExpressionException(first + " has no members; did you mean data." + n.text() + "?",
                        n.position());
                }
                return first.equals("type") || first.equals("source") ? Type.STRING : Type.NUMBER;
            default:
                throw new ExpressionException("unknown name '" + n.text() + "'; the names are " + NAMES
                    + " (did you mean data." + n.text() + "? string literals are quoted: \"" + n.text() + "\")",
                    n.position());
        }
    }

    static FieldPath member(Ast.Name n) {
        return FieldPath.of(n.text());
    }

    private static String describe(Ast a) {
        if (a instanceof Ast.Name n) {
            return n.text();
        }
        if (a instanceof Ast.Num n) {
            return n.text();
        }
        if (a instanceof Ast.Str s) {
            return "\"" + s.value() + "\"";
        }
        if (a instanceof Ast.Bool b) {
            return String.valueOf(b.value());
        }
        if (a instanceof Ast.Null) {
            return "null";
        }
        return "the expression at character " + a.position();
    }

    private static ExpressionException wrongType(Ast a, Type t, String wanted, String hint) {
        return new ExpressionException(describe(a) + " is " + t.description + ", not " + wanted + hint, a.position());
    }

    // ------------------------------------------------------------------ numbers

    static NumExpr num(Ast a) {
        Type t = typeOf(a);
        if (a instanceof Ast.Num n) {
            return new NumExpr.Const(n.value());
        }
        if (a instanceof Ast.Name n && t != Type.STRING) {
            if (t == Type.MEMBER) {
                return new NumExpr.Member(member(n));
            }
            return n.text().equals("timestamp") ? new NumExpr.Timestamp() : new NumExpr.ReceivedAt();
        }
        if (a instanceof Ast.Unary u && u.op().equals("-")) {
            NumExpr o = num(u.operand());
            return o.constant() != null ? new NumExpr.Const(-o.constant()) : new NumExpr.Negate(o);
        }
        if (a instanceof Ast.Binary b && t == Type.NUMBER) {
            int op = switch (b.op()) {
                case "+" -> NumExpr.Arithmetic.ADD;
                case "-" -> NumExpr.Arithmetic.SUB;
                case "*" -> NumExpr.Arithmetic.MUL;
                case "/" -> NumExpr.Arithmetic.DIV;
                default -> NumExpr.Arithmetic.MOD;
            };
            NumExpr l = operand(b.left(), b.op());
            NumExpr r = operand(b.right(), b.op());
            if (l.constant() != null && r.constant() != null) {
                return new NumExpr.Const(NumExpr.Arithmetic.apply(op, l.constant(), r.constant()));
            }
            return new NumExpr.Arithmetic(op, l, r);
        }
        if (a instanceof Ast.Call c && t == Type.NUMBER) {
            return call(c);
        }
        if (a instanceof Ast.Conditional c) {
            BoolExpr cond = bool(c.condition());
            NumExpr then = num(c.then());
            NumExpr otherwise = num(c.otherwise());
            if (cond.constant() != null) {
                return cond.constant() ? then : otherwise;
            }
            return new NumExpr.Conditional(cond, then, otherwise);
        }
        throw wrongType(a, t, "a number", t == Type.STRING ? "; arithmetic works on numbers only" : "");
    }

    private static NumExpr operand(Ast a, String op) {
        Type t = typeOf(a);
        if (t != Type.NUMBER && t != Type.MEMBER) {
            throw wrongType(a, t, "a number", "; " + op + " works on numbers only");
        }
        return num(a);
    }

    private static NumExpr call(Ast.Call c) {
        List<Ast> args = c.args();
        String f = c.function();
        boolean two = f.equals("min") || f.equals("max");
        int arity = two ? 2 : 1;
        if (args.size() != arity) {
            throw new ExpressionException(f + "() takes " + arity + (arity == 1 ? " argument" : " arguments")
                + ", got " + args.size(), c.position());
        }
        if (two) {
            NumExpr l = operand(args.get(0), f + "()");
            NumExpr r = operand(args.get(1), f + "()");
            if (l.constant() != null && r.constant() != null) {
                return new NumExpr.Const(f.equals("max") ? Math.max(l.constant(), r.constant())
                    : Math.min(l.constant(), r.constant()));
            }
            return new NumExpr.MinMax(f.equals("max"), l, r);
        }
        int fn = switch (f) {
            case "abs" -> NumExpr.Function1.ABS;
            case "floor" -> NumExpr.Function1.FLOOR;
            case "ceil" -> NumExpr.Function1.CEIL;
            default -> NumExpr.Function1.ROUND;
        };
        NumExpr arg = operand(args.get(0), f + "()");
        return arg.constant() != null ? new NumExpr.Const(NumExpr.Function1.apply(fn, arg.constant()))
            : new NumExpr.Function1(fn, arg);
    }

    // ------------------------------------------------------------------ strings

    static StrExpr str(Ast a) {
        Type t = typeOf(a);
        if (a instanceof Ast.Str s) {
            return new StrExpr.Const(s.value());
        }
        if (a instanceof Ast.Name n && t != Type.NUMBER) {
            if (t == Type.MEMBER) {
                return new StrExpr.Member(member(n));
            }
            return new StrExpr.Attribute(n.text().equals("type"));
        }
        if (a instanceof Ast.Conditional c) {
            BoolExpr cond = bool(c.condition());
            StrExpr then = str(c.then());
            StrExpr otherwise = str(c.otherwise());
            if (cond.constant() != null) {
                return cond.constant() ? then : otherwise;
            }
            return new StrExpr.Conditional(cond, then, otherwise);
        }
        throw wrongType(a, t, "a string", "");
    }

    // ------------------------------------------------------------------ conditions

    static BoolExpr bool(Ast a) {
        Type t = typeOf(a);
        if (a instanceof Ast.Bool b) {
            return new BoolExpr.Const(b.value());
        }
        if (a instanceof Ast.Name n) {
            if (t == Type.MEMBER) {
                return new BoolExpr.MemberKind(member(n), DataTape.TRUE, false);
            }
            String example = t == Type.STRING ? n.text() + " == \"metric\"" : n.text() + " > 0";
            throw wrongType(a, t, "a condition", "; compare it, e.g. " + example);
        }
        if (a instanceof Ast.Unary u && u.op().equals("!")) {
            BoolExpr o = bool(u.operand());
            return o.constant() != null ? new BoolExpr.Const(!o.constant()) : new BoolExpr.Not(o);
        }
        if (a instanceof Ast.Binary b && t == Type.BOOLEAN) {
            if (b.op().equals("&&") || b.op().equals("||")) {
                return logical(b);
            }
            return Comparisons.compare(b);
        }
        if (a instanceof Ast.In in) {
            return Comparisons.in(in);
        }
        if (a instanceof Ast.Call c && c.function().equals("has")) {
            if (c.args().size() != 1 || !(c.args().get(0) instanceof Ast.Name n)
                || typeOf(n) != Type.MEMBER) {
                throw new ExpressionException("has() takes one member of data, e.g. has(data.userId)", c.position());
            }
            return new BoolExpr.Has(member(n));
        }
        if (a instanceof Ast.Method m) {
            return Comparisons.method(m);
        }
        if (a instanceof Ast.Conditional c) {
            BoolExpr cond = bool(c.condition());
            BoolExpr then = bool(c.then());
            BoolExpr otherwise = bool(c.otherwise());
            if (cond.constant() != null) {
                return cond.constant() ? then : otherwise;
            }
            return new BoolExpr.Conditional(cond, then, otherwise);
        }
        throw wrongType(a, t, "a condition", t == Type.NUMBER ? "; compare it, e.g. ... > 0" : "");
    }

    private static BoolExpr logical(Ast.Binary b) {
        boolean and = b.op().equals("&&");
        BoolExpr l = bool(b.left());
        BoolExpr r = bool(b.right());
        if (l.constant() != null) {
            return l.constant() == and ? r : new BoolExpr.Const(!and);
        }
        if (r.constant() != null) {
            return r.constant() == and ? l : new BoolExpr.Const(!and);
        }
        return and ? new BoolExpr.And(l, r) : new BoolExpr.Or(l, r);
    }
}
