package io.streamprocessor.config.expr;

import io.streamprocessor.config.expr.Lexer.Kind;
import io.streamprocessor.config.expr.Lexer.Token;

import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for the grammar documented in {@link Expressions}. Operators bind,
 * from loosest to tightest: {@code ?:}, {@code ||}, {@code &&}, comparisons and {@code in}
 * (not chainable), {@code + -}, {@code * / %}, unary {@code ! -}. Compile time only.
 */
final class Parser {
    private final List<Token> tokens;
    private int at;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static Ast parse(String text) {
        Parser p = new Parser(Lexer.tokens(text));
        if (p.peek().kind() == Kind.END) {
            throw new ExpressionException("empty expression", 1);
        }
        Ast ast = p.conditional();
        Token t = p.peek();
        if (t.kind() != Kind.END) {
            String hint = t.kind() == Kind.NAME || t.kind() == Kind.NUMBER || t.kind() == Kind.STRING
                ? "; an operator such as &&, || or == is missing" : "";
            throw new ExpressionException("unexpected " + t.describe() + " after a complete expression" + hint,
                t.position());
        }
        return ast;
    }

    private Token peek() {
        return tokens.get(at);
    }

    private Token take() {
        return tokens.get(at++);
    }

    private boolean accept(String symbol) {
        if (peek().is(symbol) && peek().kind() == Kind.SYMBOL) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(String symbol, String context) {
        if (!accept(symbol)) {
            Token t = peek();
            throw new ExpressionException("expected '" + symbol + "' " + context + ", found " + t.describe(),
                t.position());
        }
    }

    private Ast conditional() {
        Ast condition = or();
        if (peek().is("?")) {
            int pos = take().position();
            Ast then = conditional();
            expect(":", "between the two branches of ?:");
            Ast otherwise = conditional();
            return new Ast.Conditional(condition, then, otherwise, pos);
        }
        return condition;
    }

    private Ast or() {
        Ast left = and();
        while (peek().is("||")) {
            int pos = take().position();
            left = new Ast.Binary("||", left, and(), pos);
        }
        return left;
    }

    private Ast and() {
        Ast left = relation();
        while (peek().is("&&")) {
            int pos = take().position();
            left = new Ast.Binary("&&", left, relation(), pos);
        }
        return left;
    }

    private Ast relation() {
        Ast left = sum();
        Token t = peek();
        if (t.kind() == Kind.SYMBOL && isComparison(t.text())) {
            take();
            Ast right = sum();
            Token after = peek();
            if (after.kind() == Kind.SYMBOL && isComparison(after.text())) {
                throw new ExpressionException("comparisons do not chain; write a < b && b < c", after.position());
            }
            return new Ast.Binary(t.text(), left, right, t.position());
        }
        if (t.kind() == Kind.NAME && t.text().equals("in")) {
            take();
            return new Ast.In(left, list(), t.position());
        }
        return left;
    }

    private static boolean isComparison(String op) {
        return switch (op) {
            case "==", "!=", "<", "<=", ">", ">=" -> true;
            default -> false;
        };
    }

    private List<Ast> list() {
        expect("[", "after 'in' (a list such as [\"a\", \"b\"])");
        List<Ast> elements = new ArrayList<>();
        if (accept("]")) {
            return elements;
        }
        do {
            Ast e = unary();
            if (!(e instanceof Ast.Num || e instanceof Ast.Str || e instanceof Ast.Bool)) {
                throw new ExpressionException("the elements of an 'in' list must be numbers or strings", e.position());
            }
            elements.add(e);
        } while (accept(","));
        expect("]", "to close the list");
        return elements;
    }

    private Ast sum() {
        Ast left = product();
        while (peek().kind() == Kind.SYMBOL && (peek().is("+") || peek().is("-"))) {
            Token op = take();
            left = new Ast.Binary(op.text(), left, product(), op.position());
        }
        return left;
    }

    private Ast product() {
        Ast left = unary();
        while (peek().kind() == Kind.SYMBOL && (peek().is("*") || peek().is("/") || peek().is("%"))) {
            Token op = take();
            left = new Ast.Binary(op.text(), left, unary(), op.position());
        }
        return left;
    }

    private Ast unary() {
        Token t = peek();
        if (t.kind() == Kind.SYMBOL && (t.is("!") || t.is("-"))) {
            take();
            Ast operand = unary();
            if (t.is("-") && operand instanceof Ast.Num n) {
                return new Ast.Num(-n.value(), "-" + n.text(), t.position());
            }
            return new Ast.Unary(t.text(), operand, t.position());
        }
        return postfix();
    }

    private Ast postfix() {
        Ast target = primary();
        while (peek().is(".") && peek().kind() == Kind.SYMBOL) {
            take();
            Token name = take();
            if (name.kind() != Kind.NAME) {
                throw new ExpressionException("expected a method name after '.', found " + name.describe(),
                    name.position());
            }
            expect("(", "after the method name " + name.text());
            target = new Ast.Method(target, name.text(), arguments(), name.position());
        }
        return target;
    }

    private Ast primary() {
        Token t = take();
        switch (t.kind()) {
            case NUMBER:
                return new Ast.Num(t.number(), t.text(), t.position());
            case STRING:
                return new Ast.Str(t.text(), t.position());
            case NAME:
                return name(t);
            case SYMBOL:
                if (t.is("(")) {
                    Ast inner = conditional();
                    expect(")", "to close the '(' at character " + t.position());
                    return inner;
                }
                break;
            default:
                break;
        }
        throw new ExpressionException("expected a value (a number, a string, a name such as data.value, "
            + "a function call or '('), found " + t.describe(), t.position());
    }

    private Ast name(Token first) {
        switch (first.text()) {
            case "true":
                return new Ast.Bool(true, first.position());
            case "false":
                return new Ast.Bool(false, first.position());
            case "null":
                return new Ast.Null(first.position());
            default:
                break;
        }
        if (peek().is("(") && peek().kind() == Kind.SYMBOL) {
            take();
            return new Ast.Call(first.text(), arguments(), first.position());
        }
        List<String> segments = new ArrayList<>();
        segments.add(first.text());
        // a.b.c is a path; a.b(..) is the method b on the path a; a["b-c"] names a member that is not a plain name
        while (true) {
            if (peek().is(".") && peek().kind() == Kind.SYMBOL
                && tokens.get(at + 1).kind() == Kind.NAME && !tokens.get(at + 2).is("(")) {
                take();
                segments.add(take().text());
            } else if (peek().is("[") && peek().kind() == Kind.SYMBOL) {
                Token open = take();
                Token member = take();
                if (member.kind() != Kind.STRING || member.text().isEmpty() || member.text().contains(".")) {
                    throw new ExpressionException("expected a member name in quotes after '[', e.g. data[\"user-agent\"]"
                        + " (names cannot be empty or contain '.')", member.position());
                }
                expect("]", "to close the '[' at character " + open.position());
                segments.add(member.text());
            } else {
                break;
            }
        }
        return new Ast.Name(List.copyOf(segments), first.position());
    }

    private List<Ast> arguments() {
        List<Ast> args = new ArrayList<>();
        if (accept(")")) {
            return args;
        }
        do {
            args.add(conditional());
        } while (accept(","));
        expect(")", "to close the argument list");
        return args;
    }
}
