package io.streamprocessor.config.expr;

import io.streamprocessor.engine.event.FieldPath;
import io.streamprocessor.engine.pipeline.EventFilter;
import io.streamprocessor.engine.pipeline.EventTransform;

import java.util.Set;

/**
 * The expression language of declared pipelines, compiled once into allocation-free evaluators
 * over the event's flyweight view. Used by the configuration file and equally from Java:
 * {@code builder.addFilter(Expressions.condition("data.value > 0"))}.
 *
 * <pre>
 * expression = conditional
 * conditional= or [ "?" conditional ":" conditional ]
 * or         = and { "||" and }
 * and        = relation { "&amp;&amp;" relation }
 * relation   = sum [ ( "==" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=" ) sum | "in" "[" literal { "," literal } "]" ]
 * sum        = product { ( "+" | "-" ) product }
 * product    = unary { ( "*" | "/" | "%" ) unary }
 * unary      = ( "!" | "-" ) unary | postfix
 * postfix    = primary { "." method "(" args ")" }          startsWith, endsWith, contains
 * primary    = number | string | true | false | null | "(" expression ")"
 *            | function "(" args ")"                       has, abs, floor, ceil, round, min, max
 *            | name { "." name | "[" string "]" }          type, source, timestamp, receivedAt, data.a.b, data["a-b"]
 * </pre>
 *
 * <p>Types are checked at compile time. A member of {@code data} takes the type the other side
 * of its comparison asks for. At run time nothing throws: a comparison holds only when both sides
 * have a value of the compared type, so a missing member, a null or a wrong type makes it false.
 *
 * <p>Compiled objects are immutable except for the scratch buffers of string members, so give
 * each pipeline its own (compilation is cheap); the engine runs each on one stage thread.
 */
public final class Expressions {
    /** Names a transform cannot set: they are the event's own fields, not members of {@code data}. */
    private static final Set<String> EVENT_FIELDS = Set.of("type", "source", "timestamp", "receivedAt", "id");

    private Expressions() {
    }

    /**
     * Compiles a condition, e.g. {@code type == "metric" && source.startsWith("web-")}.
     *
     * @throws ExpressionException when it does not parse or is not a condition
     */
    public static EventFilter condition(String text) {
        return Compiler.bool(Parser.parse(text));
    }

    /**
     * Compiles {@code target = expression}: a transform that sets the member {@code target} of
     * {@code data} (e.g. {@code normalized}, or {@code data.normalized}) to the expression's value,
     * a number, a string, a condition, or a copy of another member.
     *
     * @throws ExpressionException when the expression does not compile or the target is not a member of data
     */
    public static EventTransform assignment(String target, String expression) {
        FieldPath path = target(target);
        Ast ast = Parser.parse(expression);
        Compiler.Type type = Compiler.typeOf(ast);
        return switch (type) {
            case NUMBER -> new Assignment.Number(path, Compiler.num(ast));
            case STRING -> new Assignment.Text(path, Compiler.str(ast));
            case BOOLEAN -> new Assignment.Condition(path, Compiler.bool(ast));
            case MEMBER -> {
                if (ast instanceof Ast.Name n) {
                    yield new Assignment.Copy(path, Compiler.member(n));
                }
                if (ast instanceof Ast.Conditional c) {
                    Compiler.bool(c.condition());
                }
                throw new ExpressionException("cannot tell whether this gives a number or a string; "
                    + "make one branch a literal, or write e.g. data.a + 0 for a number", ast.position());
            }
            case NULL -> throw new ExpressionException("a member cannot be set to null; use a remove step to delete it",
                ast.position());
        };
    }

    /**
     * Checks a member path that a transform writes or reads, e.g. {@code user.id} or {@code data.user.id}.
     *
     * @throws ExpressionException when it is empty, has an empty segment, or names an event field
     */
    public static FieldPath target(String path) {
        String p = path.trim();
        if (EVENT_FIELDS.contains(p)) {
            throw new ExpressionException("'" + p + "' is a field of the event, not a member of data; transforms "
                + "change data only (write data." + p + " for a member named " + p + ")", 0);
        }
        try {
            return FieldPath.of(p);
        } catch (IllegalArgumentException e) {
            throw new ExpressionException("'" + path + "' is not a member path; write names separated by dots, "
                + "e.g. user.id", 0);
        }
    }
}
