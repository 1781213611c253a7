package io.annals.cep.text;

import java.util.ArrayList;
import java.util.List;

/** Splits a pattern text into tokens; {@code #} starts a comment that runs to the end of the line. */
final class Lexer {

    private static final List<String> SYMBOLS = List.of("->", ">>", ":", "{", "}", ",", "+", "?", "[", "]", "=", ";");

    private Lexer() {
    }

    static List<Token> tokens(String text) {
        var tokens = new ArrayList<Token>();
        int line = 1;
        int lineStart = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int column = i - lineStart + 1;
            if (c == '\n') {
                line++;
                lineStart = i + 1;
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || "_.$".indexOf(text.charAt(i)) >= 0)) {
                    i++;
                }
                tokens.add(new Token(Token.Kind.WORD, text.substring(start, i), line, column));
            } else if (Character.isDigit(c)) {
                int start = i;
                while (i < text.length() && Character.isDigit(text.charAt(i))) {
                    i++;
                }
                tokens.add(new Token(Token.Kind.NUMBER, text.substring(start, i), line, column));
            } else if (c == '"') {
                int start = ++i;
                while (i < text.length() && text.charAt(i) != '"' && text.charAt(i) != '\n') {
                    i++;
                }
                if (i >= text.length() || text.charAt(i) != '"') {
                    throw new PatternSyntaxException(line, column, "a closing '\"'", "the end of the line");
                }
                tokens.add(new Token(Token.Kind.STRING, text.substring(start, i), line, column));
                i++;
            } else {
                String symbol = null;
                for (String candidate : SYMBOLS) {
                    if (text.startsWith(candidate, i)) {
                        symbol = candidate;
                        break;
                    }
                }
                if (symbol == null) {
                    throw new PatternSyntaxException(line, column, "a name, a number or one of " + String.join(" ", SYMBOLS),
                            "'" + c + "'");
                }
                tokens.add(new Token(Token.Kind.SYMBOL, symbol, line, column));
                i += symbol.length();
            }
        }
        tokens.add(new Token(Token.Kind.END, "", line, text.length() - lineStart + 1));
        return tokens;
    }
}
