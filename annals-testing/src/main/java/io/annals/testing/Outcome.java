package io.annals.testing;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The "then" of a given/when/then test: the events a command produced, or the exception it threw,
 * and the state afterwards. Failed expectations throw {@link AssertionError} with a message that
 * shows both sides, so it works under any test framework.
 *
 * @param <S> what the state is: a decider's state or the aggregate root itself
 * @param <E> event type
 */
public final class Outcome<S, E> {

    private final List<E> events;
    private final Throwable error;
    private final S state;

    Outcome(List<E> events, Throwable error, S state) {
        this.events = events;
        this.error = error;
        this.state = state;
    }

    @SafeVarargs
    public final Outcome<S, E> thenEvents(E... expected) {
        return thenEvents(Arrays.asList(expected));
    }

    public Outcome<S, E> thenEvents(List<? extends E> expected) {
        requireNoError("events " + expected);
        if (!events.equals(expected)) {
            throw new AssertionError("expected events\n  " + expected + "\nbut got\n  " + events);
        }
        return this;
    }

    public Outcome<S, E> thenNoEvents() {
        return thenEvents(List.of());
    }

    /** Checks the events with your own assertions (for events holding generated values such as timestamps). */
    public Outcome<S, E> thenEventsSatisfy(Consumer<List<E>> assertions) {
        requireNoError("events");
        assertions.accept(events);
        return this;
    }

    public <X extends Throwable> Outcome<S, E> thenError(Class<X> expected) {
        return thenError(expected, e -> { });
    }

    public <X extends Throwable> Outcome<S, E> thenError(Class<X> expected, Consumer<? super X> assertions) {
        if (error == null) {
            throw new AssertionError("expected " + expected.getSimpleName() + " but the command succeeded with events " + events);
        }
        if (!expected.isInstance(error)) {
            var failure = new AssertionError("expected " + expected.getSimpleName() + " but got " + error);
            failure.initCause(error);
            throw failure;
        }
        assertions.accept(expected.cast(error));
        return this;
    }

    /** Checks the state after the events with your own assertions. */
    public Outcome<S, E> thenState(Consumer<? super S> assertions) {
        requireNoError("a state");
        assertions.accept(state);
        return this;
    }

    public Outcome<S, E> thenState(S expected) {
        requireNoError("state " + expected);
        if (!Objects.equals(state, expected)) {
            throw new AssertionError("expected state\n  " + expected + "\nbut got\n  " + state);
        }
        return this;
    }

    private void requireNoError(String expected) {
        if (error != null) {
            var failure = new AssertionError("expected " + expected + " but the command failed with " + error);
            failure.initCause(error);
            throw failure;
        }
    }
}
