package io.streamprocessor.config.expr;

import io.streamprocessor.engine.event.DataTape;
import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.event.FieldPath;

/**
 * A compiled numeric expression. {@link #eval} returns {@code NaN} when the expression has no
 * value for the event: a member that is missing, null or not a number, or a division by zero.
 * Comparisons treat {@code NaN} as "no value" and are false. Allocation-free; stateless, so
 * safe to share between threads.
 */
abstract class NumExpr {
    abstract double eval(EventView e);

    /** The value when it does not depend on the event, otherwise {@code null}. Compile time only. */
    Double constant() {
        return null;
    }

    static final class Const extends NumExpr {
        final double value;

        Const(double value) {
            this.value = value;
        }

        @Override
        double eval(EventView e) {
            return value;
        }

        @Override
        Double constant() {
            return value;
        }
    }

    /** A member of {@code data} read as a number. */
    static final class Member extends NumExpr {
        final FieldPath path;

        Member(FieldPath path) {
            this.path = path;
        }

        @Override
        double eval(EventView e) {
            DataTape d = e.data();
            int t = d.find(path);
            return t >= 0 && d.isNumber(t) ? d.doubleValue(t) : Double.NaN;
        }
    }

    static final class Timestamp extends NumExpr {
        @Override
        double eval(EventView e) {
            return e.timestamp();
        }
    }

    static final class ReceivedAt extends NumExpr {
        @Override
        double eval(EventView e) {
            return e.receivedAt();
        }
    }

    static final class Negate extends NumExpr {
        final NumExpr operand;

        Negate(NumExpr operand) {
            this.operand = operand;
        }

        @Override
        double eval(EventView e) {
            return -operand.eval(e);
        }
    }

    static final class Arithmetic extends NumExpr {
        static final int ADD = 0;
        static final int SUB = 1;
        static final int MUL = 2;
        static final int DIV = 3;
        static final int MOD = 4;

        final int op;
        final NumExpr left;
        final NumExpr right;

        Arithmetic(int op, NumExpr left, NumExpr right) {
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        double eval(EventView e) {
            double a = left.eval(e);
            double b = right.eval(e);
            return apply(op, a, b);
        }

        static double apply(int op, double a, double b) {
            switch (op) {
                case ADD:
                    return a + b;
                case SUB:
                    return a - b;
                case MUL:
                    return a * b;
                case DIV:
                    return b == 0 ? Double.NaN : a / b;
                default:
                    return b == 0 ? Double.NaN : a % b;
            }
        }
    }

    /** abs, floor, ceil, round of one argument. */
    static final class Function1 extends NumExpr {
        static final int ABS = 0;
        static final int FLOOR = 1;
        static final int CEIL = 2;
        static final int ROUND = 3;

        final int function;
        final NumExpr arg;

        Function1(int function, NumExpr arg) {
            this.function = function;
            this.arg = arg;
        }

        @Override
        double eval(EventView e) {
            return apply(function, arg.eval(e));
        }

        static double apply(int function, double v) {
            switch (function) {
                case ABS:
                    return Math.abs(v);
                case FLOOR:
                    return Math.floor(v);
                case CEIL:
                    return Math.ceil(v);
                default:
                    // half away from zero, like most people round by hand; NaN stays NaN. Not floor(v + 0.5):
                    // v + 0.5 itself rounds for 0.49999999999999994 and for odd integers past 2^52.
                    double r = Math.rint(v);
                    return Math.abs(v - r) == 0.5 ? v + Math.copySign(0.5, v) : r;
            }
        }
    }

    /** min or max of two; no value when either has none. */
    static final class MinMax extends NumExpr {
        final boolean max;
        final NumExpr left;
        final NumExpr right;

        MinMax(boolean max, NumExpr left, NumExpr right) {
            this.max = max;
            this.left = left;
            this.right = right;
        }

        @Override
        double eval(EventView e) {
            double a = left.eval(e);
            double b = right.eval(e);
            return max ? Math.max(a, b) : Math.min(a, b);
        }
    }

    static final class Conditional extends NumExpr {
        final BoolExpr condition;
        final NumExpr then;
        final NumExpr otherwise;

        Conditional(BoolExpr condition, NumExpr then, NumExpr otherwise) {
            this.condition = condition;
            this.then = then;
            this.otherwise = otherwise;
        }

        @Override
        double eval(EventView e) {
            return condition.test(e) ? then.eval(e) : otherwise.eval(e);
        }
    }
}
