package io.annals.sagas.process;

import java.util.Optional;

/**
 * An event-driven process: started and continued by events, one instance per correlation value,
 * its state folded from the inputs it handled ({@link #evolve}), its decisions returned as data
 * ({@link #react}): commands to send, messages for the outbox, deadlines to set or cancel. Pure
 * functions, so that it is tested without a store ({@code ProcessManagerFixture}).
 *
 * <p>Each instance lives in the stream {@code pm-<name>-<correlation>}, which records every
 * input it handled together with that input's effects, in one append.
 *
 * @param <S> its state
 * @param <E> the events it handles: a sealed interface of records, whose stored type names are
 *            those of the events it listens to; a deadline's payload is one of them too
 */
public interface ProcessManager<S, E> {

    /** ASCII letters, digits, {@code _}, {@code .}; names its streams and its checkpoint. */
    String name();

    /** The sealed interface (or the one record) of the events it handles. */
    Class<E> inputType();

    /** The instance an event belongs to (for example the value of one of its tags), or empty to ignore it. */
    Optional<String> correlate(E event);

    S initialState();

    /** The state after an input: called for every input the instance handled, in order. */
    S evolve(S state, E event);

    /** What to do about an input, given the state before it. Called once per input, before {@link #evolve}. */
    Reaction<E> react(S state, E event);
}
