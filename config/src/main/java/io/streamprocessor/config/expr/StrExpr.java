package io.streamprocessor.config.expr;

import io.streamprocessor.engine.event.DataTape;
import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.event.FieldPath;

import java.nio.charset.StandardCharsets;

/**
 * A compiled string expression. Strings of {@code data} stay UTF-8 bytes in the event's tape:
 * tests against a literal compare bytes; only operations between two non-literal strings decode
 * into a scratch buffer. Allocation-free once the scratch buffers have grown. An instance with a
 * scratch buffer ({@link Member}) must be used by one thread at a time; the pipeline stages
 * guarantee that, since each compiled step runs on exactly one stage thread.
 */
abstract class StrExpr {
    static final int EQUALS = 0;
    static final int STARTS_WITH = 1;
    static final int ENDS_WITH = 2;
    static final int CONTAINS = 3;

    /** The text, or null when there is none; may be a scratch buffer valid until the next call on this object. */
    abstract CharSequence chars(EventView e);

    /** The text when it does not depend on the event, otherwise null. Compile time only. */
    String constant() {
        return null;
    }

    /** Tests against a literal: 1 when it holds, 0 when not, -1 when there is no string. */
    int test(EventView e, int op, Literal literal) {
        CharSequence s = chars(e);
        if (s == null) {
            return -1;
        }
        return Chars.test(s, op, literal.text) ? 1 : 0;
    }

    /** A string literal, kept as both text and UTF-8 bytes. */
    static final class Literal {
        final String text;
        final byte[] utf8;

        Literal(String text) {
            this.text = text;
            this.utf8 = text.getBytes(StandardCharsets.UTF_8);
        }
    }

    static final class Const extends StrExpr {
        final String value;

        Const(String value) {
            this.value = value;
        }

        @Override
        CharSequence chars(EventView e) {
            return value;
        }

        @Override
        String constant() {
            return value;
        }
    }

    /** {@code type} or {@code source}: already a Java string on the event. */
    static final class Attribute extends StrExpr {
        final boolean type;

        Attribute(boolean type) {
            this.type = type;
        }

        @Override
        CharSequence chars(EventView e) {
            return type ? e.type() : e.source();
        }

        @Override
        int test(EventView e, int op, Literal literal) {
            String s = type ? e.type() : e.source();
            if (s == null) {
                return -1;
            }
            return switch (op) {
                case EQUALS -> s.equals(literal.text) ? 1 : 0;
                case STARTS_WITH -> s.startsWith(literal.text) ? 1 : 0;
                case ENDS_WITH -> s.endsWith(literal.text) ? 1 : 0;
                default -> s.contains(literal.text) ? 1 : 0;
            };
        }
    }

    /** A member of {@code data} read as a string: compared as UTF-8 bytes in place. */
    static final class Member extends StrExpr {
        final FieldPath path;
        private final StringBuilder scratch = new StringBuilder();

        Member(FieldPath path) {
            this.path = path;
        }

        @Override
        CharSequence chars(EventView e) {
            DataTape d = e.data();
            int t = d.find(path);
            if (t < 0 || d.kind(t) != DataTape.STRING) {
                return null;
            }
            scratch.setLength(0);
            d.appendText(t, scratch);
            return scratch;
        }

        @Override
        int test(EventView e, int op, Literal literal) {
            DataTape d = e.data();
            int t = d.find(path);
            if (t < 0 || d.kind(t) != DataTape.STRING) {
                return -1;
            }
            boolean r = switch (op) {
                case EQUALS -> d.textEquals(t, literal.utf8);
                case STARTS_WITH -> d.textStartsWith(t, literal.utf8);
                case ENDS_WITH -> d.textEndsWith(t, literal.utf8);
                default -> d.textContains(t, literal.utf8);
            };
            return r ? 1 : 0;
        }
    }

    static final class Conditional extends StrExpr {
        final BoolExpr condition;
        final StrExpr then;
        final StrExpr otherwise;

        Conditional(BoolExpr condition, StrExpr then, StrExpr otherwise) {
            this.condition = condition;
            this.then = then;
            this.otherwise = otherwise;
        }

        @Override
        CharSequence chars(EventView e) {
            return condition.test(e) ? then.chars(e) : otherwise.chars(e);
        }

        @Override
        int test(EventView e, int op, Literal literal) {
            return condition.test(e) ? then.test(e, op, literal) : otherwise.test(e, op, literal);
        }
    }
}
