package io.annals.store.jsonlines;

/** A line that cannot be read, or that contradicts the store it is imported into. */
public final class InvalidLineException extends RuntimeException {

    private final long line;
    private final String problem;

    public InvalidLineException(long line, String problem) {
        super("line " + line + ": " + problem);
        this.line = line;
        this.problem = problem;
    }

    public InvalidLineException(long line, String problem, Throwable cause) {
        this(line, problem);
        initCause(cause);
    }

    /** The line's number in its file, from 1. */
    public long line() {
        return line;
    }

    /** What is wrong with it, without the line number. */
    public String problem() {
        return problem;
    }
}
