package io.annals.event;

import java.util.Objects;
import java.util.regex.Pattern;

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
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]*");

    public StreamId {
        Objects.requireNonNull(value, "stream id");
        if (value.isEmpty() || value.length() > MAX_LENGTH || !VALID.matcher(value).matches()) {
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
        return value != null && !value.isEmpty() && value.length() <= MAX_LENGTH && VALID.matcher(value).matches();
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
