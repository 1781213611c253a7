package io.annals.cep;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A named sequence of stages, matched per partition key in event-time order.
 *
 * <p>Build one fluently, typed over your event records:
 * <pre>{@code
 * Pattern<LoginEvent> suspicious = Pattern.<LoginEvent>begin("failures", LoginFailed.class)
 *         .times(3)
 *         .within(Duration.ofMinutes(5))
 *         .skip(SkipStrategy.SKIP_PAST_LAST_EVENT)
 *         .named("SuspiciousUserActivity");
 * }</pre>
 *
 * <p>{@code within(T)} bounds the span from a match's first to its last event, inclusive: a match
 * whose events lie exactly T apart qualifies. A pattern that ends with {@code notFollowedBy} needs
 * a window: it matches when the window of its first event has passed without such an event.
 *
 * @param within the largest first-to-last span, or {@code null} for none
 */
public record Pattern<E>(String name, List<Stage<E>> stages, Duration within, SkipStrategy skip) {

    public Pattern {
        Objects.requireNonNull(name, "name");
        stages = List.copyOf(stages);
        Objects.requireNonNull(skip, "skip");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a pattern needs a name");
        }
        if (within != null && within.isNegative()) {
            throw new IllegalArgumentException("within must not be negative");
        }
        validate(name, stages, within);
    }

    /** Starts a pattern whose first stage takes events of {@code type}. */
    public static <E, T extends E> PatternBuilder<E, T> begin(String stage, Class<T> type) {
        return PatternBuilder.begin(stage, type);
    }

    public Optional<Duration> window() {
        return Optional.ofNullable(within);
    }

    /** The positive stages, in order. */
    public List<Stage<E>> takingStages() {
        return stages.stream().filter(stage -> !stage.isNegative()).toList();
    }

    /** Whether the pattern ends with a negative stage: it reports an absence. */
    public boolean endsWithAbsence() {
        return stages.getLast().isNegative();
    }

    private static <E> void validate(String name, List<Stage<E>> stages, Duration within) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("pattern '" + name + "' has no stages");
        }
        Stage<E> first = stages.getFirst();
        if (first.isNegative() || first.min() < 1) {
            throw new IllegalArgumentException("pattern '" + name + "' must begin with a stage that takes at least one event");
        }
        var names = new java.util.HashSet<String>();
        Stage<E> previous = null;
        for (Stage<E> stage : stages) {
            if (!names.add(stage.name())) {
                throw new IllegalArgumentException("pattern '" + name + "' names stage '" + stage.name() + "' twice");
            }
            if (previous != null && previous.isNegative() && stage.isNegative()) {
                throw new IllegalArgumentException("pattern '" + name + "': two negative stages in a row ('"
                        + previous.name() + "', '" + stage.name() + "'); join their conditions instead");
            }
            previous = stage;
        }
        Stage<E> last = stages.getLast();
        if (last.kind() == Stage.Kind.NOT_NEXT) {
            throw new IllegalArgumentException("pattern '" + name + "' cannot end with notNext; use notFollowedBy with a window");
        }
        if (last.kind() == Stage.Kind.NOT_FOLLOWED_BY && within == null) {
            throw new IllegalArgumentException("pattern '" + name + "' ends with notFollowedBy and so needs within(...)");
        }
        if (stages.stream().filter(stage -> !stage.isNegative()).count() > 30) {
            throw new IllegalArgumentException("pattern '" + name + "' has more than 30 stages");
        }
    }
}
