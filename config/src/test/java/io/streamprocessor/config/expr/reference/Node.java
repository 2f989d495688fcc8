package io.streamprocessor.config.expr.reference;

import java.util.List;

/**
 * A random expression tree of the reference, with its static type known by construction. Shares
 * nothing with {@code config.expr}: the trees are printed as text, and only the text reaches the
 * language under test.
 */
sealed interface Node {
    /** Static types of the language: a member of data takes the type its context asks for. */
    enum Type { NUMBER, STRING, CONDITION, MEMBER, NULL }

    Type type();

    record Num(double value, String text) implements Node {
        @Override
        public Type type() {
            return Type.NUMBER;
        }
    }

    record Str(String value) implements Node {
        @Override
        public Type type() {
            return Type.STRING;
        }
    }

    record Bool(boolean value) implements Node {
        @Override
        public Type type() {
            return Type.CONDITION;
        }
    }

    record Null() implements Node {
        @Override
        public Type type() {
            return Type.NULL;
        }
    }

    /** {@code type}, {@code source}, {@code timestamp} or {@code receivedAt}. */
    record Field(String name) implements Node {
        @Override
        public Type type() {
            return name.equals("type") || name.equals("source") ? Type.STRING : Type.NUMBER;
        }
    }

    /** {@code data.a.b}: the names below {@code data}. */
    record Member(List<String> path) implements Node {
        @Override
        public Type type() {
            return Type.MEMBER;
        }
    }

    /** Unary {@code -} or {@code !}. */
    record Unary(String op, Node operand) implements Node {
        @Override
        public Type type() {
            return op.equals("!") ? Type.CONDITION : Type.NUMBER;
        }
    }

    /** Arithmetic, comparison, {@code &&} and {@code ||}. */
    record Binary(String op, Node left, Node right) implements Node {
        @Override
        public Type type() {
            return switch (op) {
                case "+", "-", "*", "/", "%" -> Type.NUMBER;
                default -> Type.CONDITION;
            };
        }
    }

    /** {@code x in [..]}; the elements are number literals (maybe negated) or string literals. */
    record In(Node operand, List<Node> elements) implements Node {
        @Override
        public Type type() {
            return Type.CONDITION;
        }
    }

    /** {@code has abs floor ceil round min max}. */
    record Call(String function, List<Node> args) implements Node {
        @Override
        public Type type() {
            return function.equals("has") ? Type.CONDITION : Type.NUMBER;
        }
    }

    /** {@code target.startsWith(arg)}, {@code endsWith}, {@code contains}. */
    record Method(String method, Node target, Node arg) implements Node {
        @Override
        public Type type() {
            return Type.CONDITION;
        }
    }

    /** {@code c ? a : b}: a member branch takes the other branch's type; two member branches stay a member. */
    record Choice(Node condition, Node then, Node otherwise) implements Node {
        @Override
        public Type type() {
            Type t = then.type();
            Type o = otherwise.type();
            return t == Type.MEMBER ? o : t;
        }
    }
}
