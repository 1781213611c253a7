package io.annals.event;

import java.util.Objects;

/**
 * The identity of one event stream, usually one aggregate instance ({@code user-42}).
 *
 * <p>A stream id is 1 to {@value #MAX_LENGTH} characters drawn from ASCII letters, digits and
 * {@code - _ . : @}, and starts with a letter or digit. The set is deliberately narrow: stream ids
 * travel in URLs, Kafka keys, CloudEvents subjects and log lines, and none of those should need
 * escaping. The part before the first {@code -} is the stream's {@linkplain #category() category}.
 */
public record StreamId(String value) implements Comparable<StreamId> {

    public static final int MAX_LENGTH = 200;

    public StreamId {
        Objects.requireNonNull(value, "stream id");
        if (!isValid(value)) {
            throw new IllegalArgumentException(describeProblem(value));
        }
    }

    public static StreamId of(String value) {
        return new StreamId(value);
    }

    /** Builds {@code category-id}, the conventional id of one aggregate instance. */
    public static StreamId of(String category, Object id) {
        return new StreamId(category + "-" + id);
    }

    public static boolean isValid(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH || !isLetterOrDigit(value.charAt(0))) {
            return false;
        }
        // a loop rather than a regular expression: every append and every request checks one
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isLetterOrDigit(c) && c != '.' && c != '_' && c != ':' && c != '@' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** The part before the first {@code -}, or the whole id when it has none. */
    public String category() {
        int dash = value.indexOf('-');
        return dash < 0 ? value : value.substring(0, dash);
    }

    @Override
    public int compareTo(StreamId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }

    private static String describeProblem(String value) {
        if (value.isEmpty()) {
            return "stream id must not be empty";
        }
        if (value.length() > MAX_LENGTH) {
            return "stream id must be at most " + MAX_LENGTH + " characters, got " + value.length();
        }
        return "stream id may only contain ASCII letters, digits and - _ . : @ and must start with a letter or digit";
    }
}
