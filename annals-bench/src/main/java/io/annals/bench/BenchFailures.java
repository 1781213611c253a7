package io.annals.bench;

/** Turns an exception into one line for the report: type, message and the causes' messages. */
public final class BenchFailures {

    private BenchFailures() {
    }

    public static String describe(Throwable exception) {
        var message = new StringBuilder(String.valueOf(exception.getMessage()));
        for (Throwable cause = exception.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !message.toString().contains(cause.getMessage())) {
                message.append(": ").append(cause.getMessage());
            }
        }
        return exception.getClass().getSimpleName() + ": " + message;
    }
}
