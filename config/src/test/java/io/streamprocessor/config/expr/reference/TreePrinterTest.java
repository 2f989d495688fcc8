package io.streamprocessor.config.expr.reference;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The reference's printer writes only the parentheses the grammar needs. A needed one left out
 * would make the reference test fail on a correct language; one too many would leave precedence
 * untested, which these cases rule out.
 */
class TreePrinterTest {
    private static final Node A = member("a");
    private static final Node B = member("b");
    private static final Node C = member("c");

    private static Node member(String... path) {
        return new Node.Member(List.of(path));
    }

    private static Node num(String text) {
        return new Node.Num(Double.parseDouble(text), text);
    }

    private static Node bin(String op, Node l, Node r) {
        return new Node.Binary(op, l, r);
    }

    private static String plain(Node n) {
        return new TreePrinter(null).print(n);
    }

    @Test
    void leftAssociativeOperatorsNeedParenthesesOnTheRightOnly() {
        assertEquals("data.a - data.b - data.c", plain(bin("-", bin("-", A, B), C)));
        assertEquals("data.a - (data.b - data.c)", plain(bin("-", A, bin("-", B, C))));
        assertEquals("data.a / data.b * data.c", plain(bin("*", bin("/", A, B), C)));
        assertEquals("data.a % (data.b * data.c)", plain(bin("%", A, bin("*", B, C))));
        assertEquals("data.a && data.b && data.c", plain(bin("&&", bin("&&", A, B), C)));
        assertEquals("data.a || (data.b || data.c)", plain(bin("||", A, bin("||", B, C))));
    }

    @Test
    void tighterOperatorsNeedNoParentheses() {
        assertEquals("data.a + data.b * data.c", plain(bin("+", A, bin("*", B, C))));
        assertEquals("(data.a + data.b) * data.c", plain(bin("*", bin("+", A, B), C)));
        assertEquals("data.a && data.b || data.c", plain(bin("||", bin("&&", A, B), C)));
        assertEquals("data.a && (data.b || data.c)", plain(bin("&&", A, bin("||", B, C))));
        assertEquals("data.a + 1 < data.b * 2", plain(bin("<", bin("+", A, num("1")), bin("*", B, num("2")))));
        assertEquals("-data.a * -2", plain(bin("*", new Node.Unary("-", A), new Node.Unary("-", num("2")))));
        assertEquals("-(data.a * 2)", plain(new Node.Unary("-", bin("*", A, num("2")))));
        assertEquals("!data.a && !(data.b || data.c)",
            plain(bin("&&", new Node.Unary("!", A), new Node.Unary("!", bin("||", B, C)))));
    }

    @Test
    void comparisonsDoNotChainAndTakeSumsOnBothSides() {
        assertEquals("(data.a < data.b) == true", plain(bin("==", bin("<", A, B), new Node.Bool(true))));
        assertEquals("data.a == (data.b != null)", plain(bin("==", A, bin("!=", B, new Node.Null()))));
        assertEquals("data.a - 1 in [1, -2]",
            plain(new Node.In(bin("-", A, num("1")), List.of(num("1"), new Node.Unary("-", num("2"))))));
        assertEquals("(data.a in []) != data.b", plain(bin("!=", new Node.In(A, List.of()), B)));
    }

    @Test
    void choicesNestToTheRightAndNeedParenthesesAsAConditionOrAnOperand() {
        Node inner = new Node.Choice(A, num("1"), num("2"));
        assertEquals("data.c ? data.a ? 1 : 2 : data.a ? 1 : 2", plain(new Node.Choice(C, inner, inner)));
        assertEquals("(data.a ? 1 : 2) ? data.b : data.c", plain(new Node.Choice(inner, B, C)));
        assertEquals("(data.a ? 1 : 2) + 1", plain(bin("+", inner, num("1"))));
        assertEquals("data.a || data.b ? 1 : 2", plain(new Node.Choice(bin("||", A, B), num("1"), num("2"))));
        assertEquals("min(data.a ? 1 : 2, data.a ? 1 : 2)", plain(new Node.Call("min", List.of(inner, inner))));
    }

    @Test
    void methodsApplyToAPrimary() {
        Node s = new Node.Str("x");
        assertEquals("type.startsWith(\"x\")", plain(new Node.Method("startsWith", new Node.Field("type"), s)));
        assertEquals("data[\"k-1\"].contains(data.o.e)",
            plain(new Node.Method("contains", member("k-1"), member("o", "e"))));
        assertEquals("(data.a ? type : source).endsWith(data.b ? \"x\" : source)",
            plain(new Node.Method("endsWith", new Node.Choice(A, new Node.Field("type"), new Node.Field("source")),
                new Node.Choice(B, s, new Node.Field("source")))));
        assertEquals("!\"x\".contains(type)", plain(new Node.Unary("!",
            new Node.Method("contains", s, new Node.Field("type")))));
    }
}
