package io.annals.cep.text;

/** A pattern text that does not parse: where, what was expected, and what was found. */
public final class PatternSyntaxException extends IllegalArgumentException {

    private final int line;
    private final int column;

    public PatternSyntaxException(int line, int column, String expected, String found) {
        super("line " + line + ", column " + column + ": expected " + expected + ", found " + found);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
