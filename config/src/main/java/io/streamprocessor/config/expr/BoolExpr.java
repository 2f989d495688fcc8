package io.streamprocessor.config.expr;

import io.streamprocessor.engine.event.DataTape;
import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.event.FieldPath;
import io.streamprocessor.engine.pipeline.EventFilter;

/**
 * A compiled condition, usable directly as an {@link EventFilter}. A comparison holds only when
 * both sides have a value of the compared type, so a missing member, a null or a value of the
 * wrong type makes it false (and its negation with {@code !} true). Allocation-free; never
 * throws on the hot path.
 */
abstract class BoolExpr implements EventFilter {
    @Override
    public abstract boolean test(EventView e);

    /** The value when it does not depend on the event, otherwise {@code null}. Compile time only. */
    Boolean constant() {
        return null;
    }

    static final int EQ = 0;
    static final int NE = 1;
    static final int LT = 2;
    static final int LE = 3;
    static final int GT = 4;
    static final int GE = 5;

    /** Compares two numbers; false when either has no value (NaN). */
    static boolean compare(int op, double a, double b) {
        if (a != a || b != b) {
            return false;
        }
        switch (op) {
            case EQ:
                return a == b;
            case NE:
                return a != b;
            case LT:
                return a < b;
            case LE:
                return a <= b;
            case GT:
                return a > b;
            default:
                return a >= b;
        }
    }

    static final class Const extends BoolExpr {
        final boolean value;

        Const(boolean value) {
            this.value = value;
        }

        @Override
        public boolean test(EventView e) {
            return value;
        }

        @Override
        Boolean constant() {
            return value;
        }
    }

    static final class Not extends BoolExpr {
        final BoolExpr operand;

        Not(BoolExpr operand) {
            this.operand = operand;
        }

        @Override
        public boolean test(EventView e) {
            return !operand.test(e);
        }
    }

    static final class And extends BoolExpr {
        final BoolExpr left;
        final BoolExpr right;

        And(BoolExpr left, BoolExpr right) {
            this.left = left;
            this.right = right;
        }

        @Override
        public boolean test(EventView e) {
            return left.test(e) && right.test(e);
        }
    }

    static final class Or extends BoolExpr {
        final BoolExpr left;
        final BoolExpr right;

        Or(BoolExpr left, BoolExpr right) {
            this.left = left;
            this.right = right;
        }

        @Override
        public boolean test(EventView e) {
            return left.test(e) || right.test(e);
        }
    }

    /** Number against a constant, the common {@code data.value > 0}. */
    static final class CompareConst extends BoolExpr {
        final int op;
        final NumExpr left;
        final double right;

        CompareConst(int op, NumExpr left, double right) {
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        public boolean test(EventView e) {
            return compare(op, left.eval(e), right);
        }
    }

    static final class Compare extends BoolExpr {
        final int op;
        final NumExpr left;
        final NumExpr right;

        Compare(int op, NumExpr left, NumExpr right) {
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        public boolean test(EventView e) {
            return compare(op, left.eval(e), right.eval(e));
        }
    }

    /** A string against a literal: ==, !=, startsWith, endsWith, contains. */
    static final class StringTest extends BoolExpr {
        final StrExpr subject;
        final int op;
        final StrExpr.Literal literal;
        final boolean negate;

        StringTest(StrExpr subject, int op, String literal, boolean negate) {
            this.subject = subject;
            this.op = op;
            this.literal = new StrExpr.Literal(literal);
            this.negate = negate;
        }

        @Override
        public boolean test(EventView e) {
            int r = subject.test(e, op, literal);
            return r >= 0 && (r == 1) != negate;
        }
    }

    /** Two non-literal strings; decodes into scratch buffers. */
    static final class StringPair extends BoolExpr {
        final StrExpr subject;
        final int op;
        final StrExpr argument;
        final boolean negate;

        StringPair(StrExpr subject, int op, StrExpr argument, boolean negate) {
            this.subject = subject;
            this.op = op;
            this.argument = argument;
            this.negate = negate;
        }

        @Override
        public boolean test(EventView e) {
            CharSequence a = subject.chars(e);
            if (a == null) {
                return false;
            }
            CharSequence b = argument.chars(e);
            return b != null && Chars.test(a, op, b) != negate;
        }
    }

    static final class StringIn extends BoolExpr {
        final StrExpr subject;
        final StrExpr.Literal[] literals;

        StringIn(StrExpr subject, String[] literals) {
            this.subject = subject;
            this.literals = new StrExpr.Literal[literals.length];
            for (int i = 0; i < literals.length; i++) {
                this.literals[i] = new StrExpr.Literal(literals[i]);
            }
        }

        @Override
        public boolean test(EventView e) {
            for (StrExpr.Literal l : literals) {
                int r = subject.test(e, StrExpr.EQUALS, l);
                if (r != 0) {
                    return r > 0;
                }
            }
            return false;
        }
    }

    static final class NumberIn extends BoolExpr {
        final NumExpr subject;
        final double[] values;

        NumberIn(NumExpr subject, double[] values) {
            this.subject = subject;
            this.values = values;
        }

        @Override
        public boolean test(EventView e) {
            double v = subject.eval(e);
            for (double x : values) {
                if (v == x) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code has(data.x)}: the member exists, whatever its value (null included). */
    static final class Has extends BoolExpr {
        final FieldPath path;

        Has(FieldPath path) {
            this.path = path;
        }

        @Override
        public boolean test(EventView e) {
            return e.data().find(path) >= 0;
        }
    }

    /** The member's JSON kind is one of two (e.g. TRUE for {@code data.flag}, NULL for {@code == null}). */
    static final class MemberKind extends BoolExpr {
        final FieldPath path;
        final byte kind;
        final boolean negate;

        MemberKind(FieldPath path, byte kind, boolean negate) {
            this.path = path;
            this.kind = kind;
            this.negate = negate;
        }

        @Override
        public boolean test(EventView e) {
            DataTape d = e.data();
            int t = d.find(path);
            return t >= 0 && (d.kind(t) == kind) != negate;
        }
    }

    /** A member compared with a boolean expression: false unless the member is true or false. */
    static final class MemberBool extends BoolExpr {
        final FieldPath path;
        final BoolExpr other;
        final boolean negate;

        MemberBool(FieldPath path, BoolExpr other, boolean negate) {
            this.path = path;
            this.other = other;
            this.negate = negate;
        }

        @Override
        public boolean test(EventView e) {
            DataTape d = e.data();
            int t = d.find(path);
            if (t < 0) {
                return false;
            }
            byte k = d.kind(t);
            if (k != DataTape.TRUE && k != DataTape.FALSE) {
                return false;
            }
            return ((k == DataTape.TRUE) == other.test(e)) != negate;
        }
    }

    /** Two booleans: both always have a value. */
    static final class BoolEquals extends BoolExpr {
        final BoolExpr left;
        final BoolExpr right;
        final boolean negate;

        BoolEquals(BoolExpr left, BoolExpr right, boolean negate) {
            this.left = left;
            this.right = right;
            this.negate = negate;
        }

        @Override
        public boolean test(EventView e) {
            return (left.test(e) == right.test(e)) != negate;
        }
    }

    /** Two members of {@code data} whose types are known only per event. */
    static final class MemberEquals extends BoolExpr {
        final FieldPath left;
        final FieldPath right;
        final boolean negate;

        MemberEquals(FieldPath left, FieldPath right, boolean negate) {
            this.left = left;
            this.right = right;
            this.negate = negate;
        }

        @Override
        public boolean test(EventView e) {
            DataTape d = e.data();
            int a = d.find(left);
            int b = d.find(right);
            if (a < 0 || b < 0) {
                return false;
            }
            byte ka = d.kind(a);
            byte kb = d.kind(b);
            if (d.isNumber(a) && d.isNumber(b)) {
                return (d.doubleValue(a) == d.doubleValue(b)) != negate;
            }
            if (ka == DataTape.STRING && kb == DataTape.STRING) {
                return d.sameText(a, b) != negate;
            }
            boolean scalarA = ka == DataTape.TRUE || ka == DataTape.FALSE || ka == DataTape.NULL;
            boolean scalarB = kb == DataTape.TRUE || kb == DataTape.FALSE || kb == DataTape.NULL;
            if (scalarA && scalarB && (ka == DataTape.NULL) == (kb == DataTape.NULL)) {
                return (ka == kb) != negate;
            }
            return false;
        }
    }

    static final class Conditional extends BoolExpr {
        final BoolExpr condition;
        final BoolExpr then;
        final BoolExpr otherwise;

        Conditional(BoolExpr condition, BoolExpr then, BoolExpr otherwise) {
            this.condition = condition;
            this.then = then;
            this.otherwise = otherwise;
        }

        @Override
        public boolean test(EventView e) {
            return condition.test(e) ? then.test(e) : otherwise.test(e);
        }
    }
}
