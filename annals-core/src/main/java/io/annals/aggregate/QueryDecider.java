package io.annals.aggregate;

import io.annals.event.StreamId;
import io.annals.store.EventQuery;

/**
 * A decider whose consistency boundary is a query across streams rather than one stream (the
 * Dynamic Consistency Boundary): for each command it names the events its decision depends on;
 * the runtime ({@link QueryDeciderRepository}) folds exactly those into the state, decides, and
 * appends only if no event matching the query was recorded meanwhile.
 *
 * <p>Every event that can change the decision must match the query, so tag such events (see
 * {@link io.annals.event.Tagged}) and query by tag.
 */
public interface QueryDecider<C, S, E> extends Decider<C, S, E> {

    /**
     * The events the decision about {@code command} depends on. Build it from the command's
     * values; a value that makes no valid tag or query ({@link IllegalArgumentException}) refuses
     * the command as invalid.
     */
    EventQuery query(C command);

    /** The stream a new event is appended to. */
    StreamId streamOf(E event);
}
