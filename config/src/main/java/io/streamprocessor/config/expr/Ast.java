package io.streamprocessor.config.expr;

import java.util.List;

/** The parsed form of an expression, before type checking. Compile time only. */
sealed interface Ast {
    /** 1-based character where the node starts. */
    int position();

    record Num(double value, String text, int position) implements Ast { }

    record Str(String value, int position) implements Ast { }

    record Bool(boolean value, int position) implements Ast { }

    record Null(int position) implements Ast { }

    /** A name and its dotted members: {@code type}, {@code data.user.id}. */
    record Name(List<String> segments, int position) implements Ast {
        String text() {
            return String.join(".", segments);
        }
    }

    /** A function call: {@code has(data.x)}, {@code abs(data.delta)}. */
    record Call(String function, List<Ast> args, int position) implements Ast { }

    /** A method on a string: {@code source.startsWith("web-")}. */
    record Method(Ast target, String method, List<Ast> args, int position) implements Ast { }

    record Unary(String op, Ast operand, int position) implements Ast { }

    record Binary(String op, Ast left, Ast right, int position) implements Ast { }

    /** {@code x in [a, b, c]}; the elements are literals. */
    record In(Ast operand, List<Ast> elements, int position) implements Ast { }

    record Conditional(Ast condition, Ast then, Ast otherwise, int position) implements Ast { }
}
