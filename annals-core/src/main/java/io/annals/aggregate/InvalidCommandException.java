package io.annals.aggregate;

/**
 * A command cannot even be decided on: what the runtime derives from it (the query a decider
 * over a query reads) is malformed. Nothing was read or written.
 *
 * @see QueryDecider#query
 */
public final class InvalidCommandException extends RuntimeException {

    private final String path;

    public InvalidCommandException(String path, String message, Throwable cause) {
        super(path + ": " + message, cause);
        this.path = path;
    }

    /** What was malformed, for example {@code query}. */
    public String path() {
        return path;
    }

    /** The problem without the path. */
    public String reason() {
        return getCause() != null ? getCause().getMessage() : getMessage();
    }
}
