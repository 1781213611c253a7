package io.annals.event;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A label an event carries so that decisions can find it across streams, written
 * {@code key:value} (for example {@code email:ada@example.com} or {@code course:c-42}).
 *
 * <p>The key is 1 to {@value #MAX_KEY_LENGTH} ASCII letters, digits, {@code _}, {@code -} or
 * {@code .}; the value is 1 to {@value #MAX_VALUE_LENGTH} characters without control
 * characters, and may itself contain {@code :}. Tags compare by their text, case-sensitively:
 * normalise values (an email address, say) before tagging.
 */
public record Tag(String key, String value) implements Comparable<Tag> {

    public static final int MAX_KEY_LENGTH = 64;
    public static final int MAX_VALUE_LENGTH = 256;
    /** How many tags one event may carry. */
    public static final int MAX_PER_EVENT = 32;

    public Tag {
        Objects.requireNonNull(key, "tag key");
        Objects.requireNonNull(value, "tag value");
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(Tag::isKeyCharacter)) {
            throw new IllegalArgumentException("tag key must be 1 to " + MAX_KEY_LENGTH
                    + " ASCII letters, digits, '_', '-' or '.', got '" + printable(key) + "'");
        }
        if (value.isEmpty() || value.codePointCount(0, value.length()) > MAX_VALUE_LENGTH
                || value.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("tag value of '" + key + "' must be 1 to " + MAX_VALUE_LENGTH
                    + " characters without control characters");
        }
    }

    public static Tag of(String key, String value) {
        return new Tag(key, value);
    }

    /** Reads {@code key:value}; the key ends at the first colon. */
    public static Tag parse(String text) {
        Objects.requireNonNull(text, "tag");
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("a tag is written key:value, got '" + printable(text) + "'");
        }
        return new Tag(text.substring(0, colon), text.substring(colon + 1));
    }

    /** An event's tags: sorted, without repeats, at most {@value #MAX_PER_EVENT}. */
    public static Set<Tag> setOf(Collection<Tag> tags) {
        Objects.requireNonNull(tags, "tags");
        var sorted = new TreeSet<Tag>();
        for (Tag tag : tags) {
            sorted.add(Objects.requireNonNull(tag, "tag"));
        }
        if (sorted.size() > MAX_PER_EVENT) {
            throw new IllegalArgumentException("an event carries at most " + MAX_PER_EVENT + " tags, got " + sorted.size());
        }
        return java.util.Collections.unmodifiableSortedSet(sorted);
    }

    @Override
    public int compareTo(Tag other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return key + ':' + value;
    }

    private static boolean isKeyCharacter(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    }

    private static String printable(String text) {
        String cut = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        var out = new StringBuilder();
        cut.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
