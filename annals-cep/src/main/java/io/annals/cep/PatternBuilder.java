package io.annals.cep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * Builds a {@link Pattern} stage by stage; {@code T} is the type of the stage being built, so its
 * conditions read the event's own fields. Every method returns a new builder.
 */
public final class PatternBuilder<E, T extends E> {

    private final List<Stage<E>> done;
    private final String name;
    private final Class<T> type;
    private final Condition<E> condition;
    private final int min;
    private final int max;
    private final Contiguity contiguity;
    private final Stage.Kind kind;
    private final Duration within;
    private final SkipStrategy skip;

    private PatternBuilder(List<Stage<E>> done, String name, Class<T> type, Condition<E> condition, int min, int max,
                           Contiguity contiguity, Stage.Kind kind, Duration within, SkipStrategy skip) {
        this.done = done;
        this.name = name;
        this.type = type;
        this.condition = condition;
        this.min = min;
        this.max = max;
        this.contiguity = contiguity;
        this.kind = kind;
        this.within = within;
        this.skip = skip;
    }

    static <E, T extends E> PatternBuilder<E, T> begin(String stage, Class<T> type) {
        return new PatternBuilder<>(List.of(), stage, Objects.requireNonNull(type, "type"), PlainCondition.always(), 1, 1,
                Contiguity.RELAXED, Stage.Kind.TAKE, null, SkipStrategy.NO_SKIP);
    }

    /** Adds a condition on the event alone (all conditions of a stage must hold). */
    public PatternBuilder<E, T> where(Predicate<? super T> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        Class<T> cast = type;
        Condition<E> added = new PlainCondition<>(event -> predicate.test(cast.cast(event)));
        return withCondition(added);
    }

    /** Adds a condition that also reads the events the match has taken so far. */
    public PatternBuilder<E, T> where(BiPredicate<? super T, MatchSoFar<E>> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        Class<T> cast = type;
        return withCondition((event, soFar) -> predicate.test(cast.cast(event), soFar));
    }

    /** Exactly {@code n} events. */
    public PatternBuilder<E, T> times(int n) {
        return times(n, n);
    }

    /** From {@code min} to {@code max} events. */
    public PatternBuilder<E, T> times(int min, int max) {
        if (min < 1) {
            throw new IllegalArgumentException("times needs at least 1; use optional() for none");
        }
        return quantified(min, max);
    }

    /** One event or more, without bound (bound it with {@link #within}). */
    public PatternBuilder<E, T> oneOrMore() {
        return quantified(1, Stage.UNBOUNDED);
    }

    /** The stage may take no event at all. */
    public PatternBuilder<E, T> optional() {
        return quantified(0, max);
    }

    /**
     * Every event of this stage must directly follow the event before it (for a first stage: its
     * repetitions must be adjacent). A stage added with {@link #next} already is.
     */
    public PatternBuilder<E, T> consecutive() {
        return new PatternBuilder<>(done, name, type, condition, min, max, Contiguity.STRICT, kind, within, skip);
    }

    /** The next stage's events must follow with nothing in between. */
    public <U extends E> PatternBuilder<E, U> next(String stage, Class<U> type) {
        return then(stage, type, Contiguity.STRICT, Stage.Kind.TAKE);
    }

    /** The next stage's events follow, skipping events that fail its condition. */
    public <U extends E> PatternBuilder<E, U> followedBy(String stage, Class<U> type) {
        return then(stage, type, Contiguity.RELAXED, Stage.Kind.TAKE);
    }

    /** The event right after this stage must not be such an event. */
    public <U extends E> PatternBuilder<E, U> notNext(String stage, Class<U> type) {
        return then(stage, type, Contiguity.STRICT, Stage.Kind.NOT_NEXT);
    }

    /**
     * No such event may come between this stage and the next; as the last stage, none may come
     * before the window ends (an absence, reported once the window has passed).
     */
    public <U extends E> PatternBuilder<E, U> notFollowedBy(String stage, Class<U> type) {
        return then(stage, type, Contiguity.RELAXED, Stage.Kind.NOT_FOLLOWED_BY);
    }

    /** The largest span from a match's first to its last event, inclusive. */
    public PatternBuilder<E, T> within(Duration window) {
        Objects.requireNonNull(window, "window");
        return new PatternBuilder<>(done, name, type, condition, min, max, contiguity, kind, window, skip);
    }

    public PatternBuilder<E, T> skip(SkipStrategy strategy) {
        Objects.requireNonNull(strategy, "strategy");
        return new PatternBuilder<>(done, name, type, condition, min, max, contiguity, kind, within, strategy);
    }

    public Pattern<E> named(String patternName) {
        return new Pattern<>(patternName, stages(), within, skip);
    }

    private List<Stage<E>> stages() {
        var all = new ArrayList<>(done);
        all.add(new Stage<>(name, type, condition, min, max, contiguity, kind));
        return all;
    }

    private <U extends E> PatternBuilder<E, U> then(String stage, Class<U> next, Contiguity nextContiguity, Stage.Kind nextKind) {
        return new PatternBuilder<>(List.copyOf(stages()), stage, Objects.requireNonNull(next, "type"), PlainCondition.always(),
                1, 1, nextContiguity, nextKind, within, skip);
    }

    private PatternBuilder<E, T> quantified(int newMin, int newMax) {
        if (kind != Stage.Kind.TAKE) {
            throw new IllegalStateException("negative stage '" + name + "' takes no quantifier");
        }
        return new PatternBuilder<>(done, name, type, condition, newMin, newMax, contiguity, kind, within, skip);
    }

    private PatternBuilder<E, T> withCondition(Condition<E> added) {
        Condition<E> combined = PlainCondition.and(condition, added);
        return new PatternBuilder<>(done, name, type, combined, min, max, contiguity, kind, within, skip);
    }
}
