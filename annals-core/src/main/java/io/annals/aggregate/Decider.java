package io.annals.aggregate;

import java.util.List;

/**
 * An aggregate as three pure functions: the state before anything happened, the events a command
 * causes in a state, and the state after an event. Decisions are rejected by throwing (usually a
 * {@link DomainException}); a command that changes nothing returns no events.
 *
 * @param <C> commands, typically a sealed interface of records
 * @param <S> state
 * @param <E> events, typically a sealed interface of records
 */
public interface Decider<C, S, E> {

    S initialState();

    List<E> decide(C command, S state);

    S evolve(S state, E event);

    default S fold(S state, Iterable<? extends E> events) {
        S current = state;
        for (E event : events) {
            current = evolve(current, event);
        }
        return current;
    }

    default S fold(Iterable<? extends E> events) {
        return fold(initialState(), events);
    }
}
