package io.streamprocessor.config.expr;

import io.streamprocessor.config.expr.Compiler.Type;
import io.streamprocessor.engine.event.DataTape;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Compiles comparisons, {@code in} and string methods, choosing the evaluator from the static
 * types of both sides: numbers compare as doubles, strings as bytes against literals, members of
 * {@code data} whose type is known only per event take the type of the other side.
 */
final class Comparisons {
    private Comparisons() {
    }

    static BoolExpr compare(Ast.Binary b) {
        int op = switch (b.op()) {
            case "==" -> BoolExpr.EQ;
            case "!=" -> BoolExpr.NE;
            case "<" -> BoolExpr.LT;
            case "<=" -> BoolExpr.LE;
            case ">" -> BoolExpr.GT;
            default -> BoolExpr.GE;
        };
        boolean equality = op == BoolExpr.EQ || op == BoolExpr.NE;
        Ast l = b.left();
        Ast r = b.right();
        Type tl = Compiler.typeOf(l);
        Type tr = Compiler.typeOf(r);

        // A choice between two members is the member it chooses: compare that one, so that
        // (c ? data.a : data.b) == x means what data.a == x or data.b == x means (false when the
        // chosen member is missing or of another type, as for a member written alone).
        if (tl == Type.MEMBER && l instanceof Ast.Conditional c && tr != Type.NULL) {
            return choose(c, branch -> new Ast.Binary(b.op(), branch, r, b.position()));
        }
        if (tr == Type.MEMBER && r instanceof Ast.Conditional c && tl != Type.NULL) {
            return choose(c, branch -> new Ast.Binary(b.op(), l, branch, b.position()));
        }
        if (tl == Type.NULL || tr == Type.NULL) {
            if (!equality) {
                throw new ExpressionException("null can only be compared with == or !=", b.position());
            }
            if (tl == Type.NULL && tr == Type.NULL) {
                return new BoolExpr.Const(op == BoolExpr.EQ);
            }
            Ast other = tl == Type.NULL ? r : l;
            if (!(other instanceof Ast.Name n) || Compiler.typeOf(other) != Type.MEMBER) {
                throw new ExpressionException("only members of data can be null; "
                    + "test a member, e.g. data.userId == null", b.position());
            }
            return new BoolExpr.MemberKind(Compiler.member(n), DataTape.NULL, op == BoolExpr.NE);
        }
        if (tl == Type.MEMBER && tr == Type.MEMBER) {
            if (equality && l instanceof Ast.Name a && r instanceof Ast.Name c) {
                return new BoolExpr.MemberEquals(Compiler.member(a), Compiler.member(c), op == BoolExpr.NE);
            }
            return numbers(op, l, r);
        }
        Type t = tl == Type.MEMBER ? tr : tl;
        Type other = tl == Type.MEMBER ? tl : tr;
        if (other != Type.MEMBER && other != t) {
            throw new ExpressionException("cannot compare " + tl.description + " with " + tr.description,
                b.position());
        }
        switch (t) {
            case NUMBER:
                return numbers(op, l, r);
            case STRING:
                if (!equality) {
                    throw new ExpressionException("strings compare with == and != only", b.position());
                }
                return strings(StrExpr.EQUALS, l, r, op == BoolExpr.NE, true);
            default:
                if (!equality) {
                    throw new ExpressionException("conditions compare with == and != only", b.position());
                }
                return booleans(l, r, op == BoolExpr.NE);
        }
    }

    private static BoolExpr choose(Ast.Conditional c, UnaryOperator<Ast> comparisonOf) {
        BoolExpr condition = Compiler.bool(c.condition());
        BoolExpr then = compare((Ast.Binary) comparisonOf.apply(c.then()));
        BoolExpr otherwise = compare((Ast.Binary) comparisonOf.apply(c.otherwise()));
        if (condition.constant() != null) {
            return condition.constant() ? then : otherwise;
        }
        return new BoolExpr.Conditional(condition, then, otherwise);
    }

    private static BoolExpr numbers(int op, Ast l, Ast r) {
        NumExpr a = Compiler.num(l);
        NumExpr b = Compiler.num(r);
        if (a.constant() != null && b.constant() != null) {
            return new BoolExpr.Const(BoolExpr.compare(op, a.constant(), b.constant()));
        }
        if (b.constant() != null) {
            return new BoolExpr.CompareConst(op, a, b.constant());
        }
        if (a.constant() != null) {
            return new BoolExpr.CompareConst(flip(op), b, a.constant());
        }
        return new BoolExpr.Compare(op, a, b);
    }

    private static int flip(int op) {
        return switch (op) {
            case BoolExpr.LT -> BoolExpr.GT;
            case BoolExpr.LE -> BoolExpr.GE;
            case BoolExpr.GT -> BoolExpr.LT;
            case BoolExpr.GE -> BoolExpr.LE;
            default -> op;
        };
    }

    private static BoolExpr strings(int op, Ast l, Ast r, boolean negate, boolean symmetric) {
        StrExpr a = Compiler.str(l);
        StrExpr b = Compiler.str(r);
        if (a.constant() != null && b.constant() != null) {
            return new BoolExpr.Const(Chars.test(a.constant(), op, b.constant()) != negate);
        }
        if (b.constant() != null) {
            return new BoolExpr.StringTest(a, op, b.constant(), negate);
        }
        if (symmetric && a.constant() != null) {
            return new BoolExpr.StringTest(b, op, a.constant(), negate);
        }
        return new BoolExpr.StringPair(a, op, b, negate);
    }

    private static BoolExpr booleans(Ast l, Ast r, boolean negate) {
        if (l instanceof Ast.Name n && Compiler.typeOf(l) == Type.MEMBER) {
            return new BoolExpr.MemberBool(Compiler.member(n), Compiler.bool(r), negate);
        }
        if (r instanceof Ast.Name n && Compiler.typeOf(r) == Type.MEMBER) {
            return new BoolExpr.MemberBool(Compiler.member(n), Compiler.bool(l), negate);
        }
        BoolExpr a = Compiler.bool(l);
        BoolExpr b = Compiler.bool(r);
        if (a.constant() != null && b.constant() != null) {
            return new BoolExpr.Const((a.constant().equals(b.constant())) != negate);
        }
        return new BoolExpr.BoolEquals(a, b, negate);
    }

    static BoolExpr in(Ast.In in) {
        List<Ast> elements = in.elements();
        if (elements.isEmpty()) {
            return new BoolExpr.Const(false);
        }
        boolean strings = elements.get(0) instanceof Ast.Str;
        for (Ast e : elements) {
            if (strings ? !(e instanceof Ast.Str) : !(e instanceof Ast.Num)) {
                throw new ExpressionException("an 'in' list holds only strings or only numbers", e.position());
            }
        }
        Type t = Compiler.typeOf(in.operand());
        Type wanted = strings ? Type.STRING : Type.NUMBER;
        if (t != wanted && t != Type.MEMBER) {
            throw new ExpressionException("cannot look for " + t.description + " in a list of "
                + (strings ? "strings" : "numbers"), in.position());
        }
        if (strings) {
            String[] values = new String[elements.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = ((Ast.Str) elements.get(i)).value();
            }
            StrExpr s = Compiler.str(in.operand());
            if (s.constant() != null) {
                return new BoolExpr.Const(List.of(values).contains(s.constant()));
            }
            return new BoolExpr.StringIn(s, values);
        }
        double[] values = new double[elements.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = ((Ast.Num) elements.get(i)).value();
        }
        return new BoolExpr.NumberIn(Compiler.num(in.operand()), values);
    }

    static BoolExpr method(Ast.Method m) {
        int op = switch (m.method()) {
            case "startsWith" -> StrExpr.STARTS_WITH;
            case "endsWith" -> StrExpr.ENDS_WITH;
            default -> StrExpr.CONTAINS;
        };
        if (m.args().size() != 1) {
            throw new ExpressionException(m.method() + "() takes one string argument, got " + m.args().size(),
                m.position());
        }
        Type target = Compiler.typeOf(m.target());
        if (target != Type.STRING && target != Type.MEMBER) {
            throw new ExpressionException(m.method() + "() is a method of strings, not of " + target.description,
                m.position());
        }
        Ast arg = m.args().get(0);
        Type at = Compiler.typeOf(arg);
        if (at != Type.STRING && at != Type.MEMBER) {
            throw new ExpressionException(m.method() + "() takes a string, not " + at.description, arg.position());
        }
        return strings(op, m.target(), arg, false, false);
    }
}
