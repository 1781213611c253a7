package io.annals.cep.text;

/** One lexical token of a pattern text, with where it starts (1-based). */
record Token(Kind kind, String text, int line, int column) {

    enum Kind { WORD, NUMBER, STRING, SYMBOL, END }

    boolean is(String keyword) {
        return kind == Kind.WORD && text.equalsIgnoreCase(keyword) || kind == Kind.SYMBOL && text.equals(keyword);
    }

    String describe() {
        return switch (kind) {
            case END -> "the end of the text";
            case STRING -> "\"" + text + "\"";
            default -> "'" + text + "'";
        };
    }
}
