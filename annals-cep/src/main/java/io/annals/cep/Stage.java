package io.annals.cep;

import java.util.Objects;

/**
 * One element of a pattern: the events it accepts, how many, and how they stand to the events
 * before them.
 *
 * @param type      events must be instances of it
 * @param condition further condition on an event of {@code type}
 * @param min       fewest events it takes (0: optional)
 * @param max       most events it takes; {@link Integer#MAX_VALUE} for no bound
 * @param kind      positive, or a negative stage that forbids events between its neighbours
 */
public record Stage<E>(String name, Class<? extends E> type, Condition<E> condition, int min, int max,
                       Contiguity contiguity, Kind kind) {

    public enum Kind {
        /** Takes events into the match. */
        TAKE,
        /** The event right after the previous element must not satisfy it. */
        NOT_NEXT,
        /** No event between the previous and the next element (or, last in a pattern, before the window ends) may satisfy it. */
        NOT_FOLLOWED_BY
    }

    public static final int UNBOUNDED = Integer.MAX_VALUE;

    public Stage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(contiguity, "contiguity");
        Objects.requireNonNull(kind, "kind");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a stage needs a name");
        }
        if (min < 0 || max < 1 || min > max) {
            throw new IllegalArgumentException("stage '" + name + "': need 0 <= min <= max and max >= 1, got " + min + ".." + max);
        }
        if (kind != Kind.TAKE && (min != 1 || max != 1)) {
            throw new IllegalArgumentException("negative stage '" + name + "' takes no quantifier");
        }
    }

    public boolean isNegative() {
        return kind != Kind.TAKE;
    }

    /** Whether the event is of the stage's type and satisfies its condition. */
    public boolean accepts(E event, MatchSoFar<E> soFar) {
        return type.isInstance(event) && condition.test(event, soFar);
    }
}
