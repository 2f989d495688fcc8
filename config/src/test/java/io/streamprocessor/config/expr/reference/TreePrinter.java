package io.streamprocessor.config.expr.reference;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Prints a tree as expression text with as few parentheses as the grammar allows, so every
 * precedence and associativity rule of ARCHITECTURE.md "The expression language" is exercised,
 * with random whitespace between tokens and random quoting of strings and member names.
 *
 * <p>Binding, loosest first: {@code ?:} (right-associative; its condition is an {@code ||}),
 * {@code ||}, {@code &&}, comparisons and {@code in} (not chainable; operands are sums),
 * {@code + -}, {@code * / %} (all left-associative), unary {@code ! -}, then {@code .method(..)}
 * on a primary.
 */
final class TreePrinter {
    private static final int CHOICE = 0;
    private static final int OR = 1;
    private static final int AND = 2;
    private static final int RELATION = 3;
    private static final int SUM = 4;
    private static final int PRODUCT = 5;
    private static final int UNARY = 6;
    private static final int POSTFIX = 7;
    private static final int PRIMARY = 8;

    private static final String UNARY_MARK = "\u0001";
    private static final String[] SPACES = {"", "", "", " ", " ", " ", "  ", "\t", "\n", " \r\n "};

    private final Random random;

    /** Random spacing and quoting; {@code null} prints plainly (one space around binary operators), for reading. */
    TreePrinter(Random random) {
        this.random = random;
    }

    String print(Node n) {
        List<String> tokens = new ArrayList<>();
        emit(n, CHOICE, tokens);
        StringBuilder sb = new StringBuilder();
        String previous = null;
        for (String token : tokens) {
            // a unary operator is marked so the plain form can write it against its operand
            boolean unary = token.startsWith(UNARY_MARK);
            String t = unary ? token.substring(1) : token;
            if (previous != null) {
                String gap = random == null ? plainGap(previous, t) : SPACES[random.nextInt(SPACES.length)];
                if (gap.isEmpty() && isWord(previous.charAt(previous.length() - 1)) && isWord(t.charAt(0))) {
                    gap = " ";
                }
                sb.append(gap);
            }
            sb.append(t);
            previous = unary ? "(" : t;
        }
        return sb.toString();
    }

    private static String plainGap(String previous, String next) {
        boolean call = (next.equals("(") || next.equals("[")) && isWord(previous.charAt(previous.length() - 1))
            && !previous.equals("in");
        boolean tight = call || previous.equals("(") || previous.equals("[") || previous.equals(".")
            || next.equals(")") || next.equals("]") || next.equals(".") || next.equals(",");
        return tight ? "" : " ";
    }

    private static boolean isWord(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static int level(Node n) {
        if (n instanceof Node.Choice) {
            return CHOICE;
        }
        if (n instanceof Node.Binary b) {
            return switch (b.op()) {
                case "||" -> OR;
                case "&&" -> AND;
                case "+", "-" -> SUM;
                case "*", "/", "%" -> PRODUCT;
                default -> RELATION;
            };
        }
        if (n instanceof Node.In) {
            return RELATION;
        }
        if (n instanceof Node.Unary) {
            return UNARY;
        }
        if (n instanceof Node.Method) {
            return POSTFIX;
        }
        return PRIMARY;
    }

    /** Emits {@code n} where the grammar needs at least {@code needed}; parenthesised when it binds looser. */
    private void emit(Node n, int needed, List<String> out) {
        if (level(n) < needed) {
            out.add("(");
            emit(n, CHOICE, out);
            out.add(")");
            return;
        }
        if (n instanceof Node.Num x) {
            out.add(x.text());
        } else if (n instanceof Node.Str s) {
            out.add(quote(s.value()));
        } else if (n instanceof Node.Bool b) {
            out.add(String.valueOf(b.value()));
        } else if (n instanceof Node.Null) {
            out.add("null");
        } else if (n instanceof Node.Field f) {
            out.add(f.name());
        } else if (n instanceof Node.Member m) {
            out.add("data");
            for (String segment : m.path()) {
                if (isName(segment) && (random == null || random.nextInt(4) > 0)) {
                    out.add(".");
                    out.add(segment);
                } else {
                    out.add("[");
                    out.add(quote(segment));
                    out.add("]");
                }
            }
        } else if (n instanceof Node.Unary u) {
            out.add(UNARY_MARK + u.op());
            emit(u.operand(), UNARY, out);
        } else if (n instanceof Node.Binary b) {
            int level = level(b);
            // left-associative: an equal-level right operand needs parentheses; comparisons take sums on both sides
            emit(b.left(), level == RELATION ? SUM : level, out);
            out.add(b.op());
            emit(b.right(), level == RELATION ? SUM : level + 1, out);
        } else if (n instanceof Node.In in) {
            emit(in.operand(), SUM, out);
            out.add("in");
            out.add("[");
            for (int i = 0; i < in.elements().size(); i++) {
                if (i > 0) {
                    out.add(",");
                }
                emit(in.elements().get(i), UNARY, out);
            }
            out.add("]");
        } else if (n instanceof Node.Call c) {
            out.add(c.function());
            out.add("(");
            for (int i = 0; i < c.args().size(); i++) {
                if (i > 0) {
                    out.add(",");
                }
                emit(c.args().get(i), CHOICE, out);
            }
            out.add(")");
        } else if (n instanceof Node.Method m) {
            emit(m.target(), PRIMARY, out);
            out.add(".");
            out.add(m.method());
            out.add("(");
            emit(m.arg(), CHOICE, out);
            out.add(")");
        } else {
            Node.Choice c = (Node.Choice) n;
            emit(c.condition(), OR, out);
            out.add("?");
            emit(c.then(), CHOICE, out);
            out.add(":");
            emit(c.otherwise(), CHOICE, out);
        }
    }

    /** A plain name can follow a dot: a letter or _, then letters, digits or _, and not a word of the language. */
    private static boolean isName(String s) {
        if (s.isEmpty() || !(Character.isLetter(s.charAt(0)) || s.charAt(0) == '_')) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (!isWord(s.charAt(i))) {
                return false;
            }
        }
        return !List.of("true", "false", "null", "in").contains(s);
    }

    /** A string literal in either quote, escaping what must be and, at random, what may be. */
    private String quote(String s) {
        char q = random == null || random.nextBoolean() ? '"' : '\'';
        StringBuilder sb = new StringBuilder().append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean optional = random != null && random.nextInt(6) == 0;
            if (c == q || c == '\\') {
                sb.append('\\').append(c);
            } else if (c == '"' || c == '\'') {
                sb.append(optional ? "\\" + c : String.valueOf(c));
            } else if (c == '\n') {
                sb.append(optional ? "\n" : "\\n");
            } else if (c == '\t') {
                sb.append(optional ? "\t" : "\\t");
            } else if (c > 0x7e || optional) {
                sb.append(random == null || !optional ? String.valueOf(c) : String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append(q).toString();
    }
}
