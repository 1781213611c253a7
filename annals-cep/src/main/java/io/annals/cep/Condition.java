package io.annals.cep;

/** Whether an event may be taken (or, for a negative stage, forbids the match), given the match so far. */
@FunctionalInterface
public interface Condition<E> {

    boolean test(E event, MatchSoFar<E> soFar);

    /**
     * Whether the condition reads {@code soFar}. One that does not can be evaluated once per
     * event, which lets the engine keep smaller state for simple patterns.
     */
    default boolean readsMatchSoFar() {
        return true;
    }
}
