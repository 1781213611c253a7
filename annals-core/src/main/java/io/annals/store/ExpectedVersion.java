package io.annals.store;

/**
 * What the writer believes about a stream before it appends; the store refuses the append with
 * {@link WrongExpectedVersionException} when the belief is wrong.
 */
public sealed interface ExpectedVersion {

    /** No check: append whatever the stream holds. */
    record Any() implements ExpectedVersion {
        @Override
        public String toString() {
            return "any";
        }
    }

    /** The stream must not exist (never written, or soft-deleted with nothing written since). */
    record NoStream() implements ExpectedVersion {
        @Override
        public String toString() {
            return "no-stream";
        }
    }

    /** The stream must exist, at any version. */
    record StreamExists() implements ExpectedVersion {
        @Override
        public String toString() {
            return "stream-exists";
        }
    }

    /** The stream's last event must have exactly this version. */
    record Exact(long version) implements ExpectedVersion {
        public Exact {
            if (version < 0) {
                throw new IllegalArgumentException("expected version must not be negative, got " + version);
            }
        }

        @Override
        public String toString() {
            return Long.toString(version);
        }
    }

    static ExpectedVersion any() {
        return new Any();
    }

    static ExpectedVersion noStream() {
        return new NoStream();
    }

    static ExpectedVersion streamExists() {
        return new StreamExists();
    }

    static ExpectedVersion exact(long version) {
        return new Exact(version);
    }

    /** The expectation that holds for a stream whose last version is {@code version} (-1 for none). */
    static ExpectedVersion after(long version) {
        return version < 0 ? noStream() : exact(version);
    }

    /** Parses {@code any}, {@code no-stream}, {@code stream-exists} or a version number. */
    static ExpectedVersion parse(String text) {
        return switch (text) {
            case "any" -> any();
            case "no-stream" -> noStream();
            case "stream-exists" -> streamExists();
            default -> {
                try {
                    // ASCII digits only: Long.parseLong would take "+1" and other scripts' digits too
                    if (!isAsciiNumber(text)) {
                        throw new NumberFormatException(text);
                    }
                    yield exact(Long.parseLong(text));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "expected version must be any, no-stream, stream-exists or a version number, got '" + text + "'");
                }
            }
        };
    }

    /** One to 19 ASCII digits; a header is parsed on every append, so no regular expression. */
    private static boolean isAsciiNumber(String text) {
        if (text.isEmpty() || text.length() > 19) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Whether a stream whose visible last version is {@code currentVersion} (-1: no stream) satisfies this. */
    default boolean isSatisfiedBy(long currentVersion) {
        return switch (this) {
            case Any a -> true;
            case NoStream n -> currentVersion < 0;
            case StreamExists s -> currentVersion >= 0;
            case Exact(long version) -> currentVersion == version;
        };
    }
}
