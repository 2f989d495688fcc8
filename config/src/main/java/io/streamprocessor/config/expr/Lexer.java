package io.streamprocessor.config.expr;

import java.util.ArrayList;
import java.util.List;

/** Splits expression text into tokens. Compile time only. */
final class Lexer {
    enum Kind { NUMBER, STRING, NAME, SYMBOL, END }

    /** One token; {@code position} is the 1-based character where it starts. */
    record Token(Kind kind, String text, double number, int position) {
        boolean is(String symbol) {
            return (kind == Kind.SYMBOL || kind == Kind.NAME) && text.equals(symbol);
        }

        String describe() {
            return switch (kind) {
                case END -> "the end";
                case STRING -> "a string";
                case NUMBER -> "the number " + text;
                default -> "'" + text + "'";
            };
        }
    }

    private static final String[] SYMBOLS = {
        "==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "+", "-", "*", "/", "%", "(", ")", "[", "]", ",", ".", "?", ":"
    };

    private final String text;
    private int at;

    private Lexer(String text) {
        this.text = text;
    }

    static List<Token> tokens(String text) {
        Lexer lexer = new Lexer(text);
        List<Token> tokens = new ArrayList<>();
        Token t;
        do {
            t = lexer.next();
            tokens.add(t);
        } while (t.kind() != Kind.END);
        return tokens;
    }

    private Token next() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
        int start = at;
        if (at == text.length()) {
            return new Token(Kind.END, "", 0, start + 1);
        }
        char c = text.charAt(at);
        if (c >= '0' && c <= '9') {
            return number(start);
        }
        if (c == '"' || c == '\'') {
            return string(start, c);
        }
        if (Character.isLetter(c) || c == '_') {
            while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
                at++;
            }
            return new Token(Kind.NAME, text.substring(start, at), 0, start + 1);
        }
        for (String s : SYMBOLS) {
            if (text.startsWith(s, at)) {
                at += s.length();
                return new Token(Kind.SYMBOL, s, 0, start + 1);
            }
        }
        String hint = switch (c) {
            case '=' -> "; compare with ==";
            case '&' -> "; 'and' is written &&";
            case '|' -> "; 'or' is written ||";
            default -> "";
        };
        throw new ExpressionException("unexpected character '" + c + "'" + hint, start + 1);
    }

    private Token number(int start) {
        digits();
        if (at + 1 < text.length() && text.charAt(at) == '.' && Character.isDigit(text.charAt(at + 1))) {
            at++;
            digits();
        }
        if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
            int mark = at++;
            if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
                at++;
            }
            if (at < text.length() && Character.isDigit(text.charAt(at))) {
                digits();
            } else {
                at = mark;
            }
        }
        if (at < text.length() && (Character.isLetter(text.charAt(at)) || text.charAt(at) == '_')) {
            throw new ExpressionException("a number cannot be followed by '" + text.charAt(at)
                + "'; names start with a letter", at + 1);
        }
        String s = text.substring(start, at);
        return new Token(Kind.NUMBER, s, Double.parseDouble(s), start + 1);
    }

    private void digits() {
        while (at < text.length() && Character.isDigit(text.charAt(at))) {
            at++;
        }
    }

    /** Half of a surrogate pair is not text: as UTF-8 it would become '?' and equal the string "?". */
    private static void checkSurrogates(CharSequence s, int start) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new ExpressionException("the string holds half of a surrogate pair; write the character itself "
                    + "or both halves, e.g. \\ud83d\\ude00", start + 1);
            }
        }
    }

    private Token string(int start, char quote) {
        StringBuilder sb = new StringBuilder();
        at++;
        while (true) {
            if (at >= text.length()) {
                throw new ExpressionException("string not closed: add the missing " + quote, start + 1);
            }
            char c = text.charAt(at++);
            if (c == quote) {
                checkSurrogates(sb, start);
                return new Token(Kind.STRING, sb.toString(), 0, start + 1);
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (at >= text.length()) {
                throw new ExpressionException("string not closed: add the missing " + quote, start + 1);
            }
            char e = text.charAt(at++);
            switch (e) {
                case '\\', '"', '\'' -> sb.append(e);
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw new ExpressionException("\\u needs four hex digits", at - 1);
                    }
                    try {
                        sb.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    } catch (NumberFormatException x) {
                        throw new ExpressionException("\\u needs four hex digits", at - 1);
                    }
                    at += 4;
                }
                default -> throw new ExpressionException("unknown escape \\" + e
                    + "; allowed: \\\\ \\\" \\' \\n \\t \\r \\uXXXX", at - 1);
            }
        }
    }
}
