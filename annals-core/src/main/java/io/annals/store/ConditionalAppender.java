package io.annals.store;

/**
 * Appends to one or several streams in one atomic step, under an optional condition across
 * streams (the append condition of the Dynamic Consistency Boundary specification, see
 * {@code docs/adr/0008-append-conditions.md}).
 */
public interface ConditionalAppender {

    /**
     * Writes every stream's events, or none. Each stream is checked against its expected version
     * and for retried event ids as {@link StreamAppender#append} does; a retry of a whole earlier
     * append writes nothing and returns its results.
     *
     * @throws AppendConditionFailedException when an event matching the condition's query was
     *                                        recorded after the condition's position, also one
     *                                        committed while this append was being written
     * @throws WrongExpectedVersionException  when a stream's expected version does not hold
     * @throws InvalidAppendException         when the append is malformed, or its condition names
     *                                        a position the store has not reached
     */
    AppendResults append(Append append);
}
