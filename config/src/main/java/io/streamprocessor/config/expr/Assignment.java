package io.streamprocessor.config.expr;

import io.streamprocessor.engine.event.DataTape;
import io.streamprocessor.engine.event.FieldPath;
import io.streamprocessor.engine.event.MutableEvent;
import io.streamprocessor.engine.pipeline.EventTransform;

/**
 * Transforms that set a member of {@code data} to the value of an expression. When the
 * expression has no value for an event (a missing input, a division by zero) the member is left
 * as it was. Integral numbers are written as integers, so {@code 250 / 100 * 100} prints
 * {@code 250}, not {@code 250.0}.
 */
abstract class Assignment implements EventTransform {
    final FieldPath target;

    Assignment(FieldPath target) {
        this.target = target;
    }

    private static final double MAX_EXACT = 9.007199254740992E15;

    static void setNumber(MutableEvent e, FieldPath target, double v) {
        if (v != v || Double.isInfinite(v)) {
            return;
        }
        if (v == Math.rint(v) && Math.abs(v) <= MAX_EXACT && !(v == 0 && 1 / v < 0)) {
            e.set(target, (long) v);
        } else {
            e.set(target, v);
        }
    }

    static final class Number extends Assignment {
        final NumExpr value;

        Number(FieldPath target, NumExpr value) {
            super(target);
            this.value = value;
        }

        @Override
        public void apply(MutableEvent e) {
            setNumber(e, target, value.eval(e));
        }
    }

    static final class Text extends Assignment {
        final StrExpr value;

        Text(FieldPath target, StrExpr value) {
            super(target);
            this.value = value;
        }

        @Override
        public void apply(MutableEvent e) {
            CharSequence s = value.chars(e);
            if (s != null) {
                e.set(target, s);
            }
        }
    }

    static final class Condition extends Assignment {
        final BoolExpr value;

        Condition(FieldPath target, BoolExpr value) {
            super(target);
            this.value = value;
        }

        @Override
        public void apply(MutableEvent e) {
            e.set(target, value.test(e));
        }
    }

    /** Copies a scalar member (number, string, boolean); objects, arrays and null are not copied. */
    static final class Copy extends Assignment {
        final FieldPath source;
        private final StringBuilder scratch = new StringBuilder();

        Copy(FieldPath target, FieldPath source) {
            super(target);
            this.source = source;
        }

        @Override
        public void apply(MutableEvent e) {
            DataTape d = e.data();
            int t = d.find(source);
            if (t < 0) {
                return;
            }
            switch (d.kind(t)) {
                case DataTape.INTEGER -> e.set(target, d.longValue(t));
                case DataTape.FLOAT -> e.set(target, d.doubleValue(t));
                case DataTape.TRUE -> e.set(target, true);
                case DataTape.FALSE -> e.set(target, false);
                case DataTape.STRING -> {
                    scratch.setLength(0);
                    d.appendText(t, scratch);
                    e.set(target, scratch);
                }
                default -> {
                }
            }
        }
    }
}
