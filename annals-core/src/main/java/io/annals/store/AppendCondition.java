package io.annals.store;

import io.annals.event.Position;
import java.util.Objects;

/**
 * Refuses an append when an event matching {@code failIfEventsMatch} was recorded after
 * {@code after}: the decision that produced the append read the matching events up to
 * {@code after}, and a newer one might have changed it.
 *
 * @param failIfEventsMatch the query the decision read
 * @param after             where that read ended ({@link Position#START}: no matching event may exist at all)
 */
public record AppendCondition(EventQuery failIfEventsMatch, Position after) {

    public AppendCondition {
        Objects.requireNonNull(failIfEventsMatch, "failIfEventsMatch");
        Objects.requireNonNull(after, "after");
    }

    /** No event matching {@code query} may exist. */
    public static AppendCondition noneMatching(EventQuery query) {
        return new AppendCondition(query, Position.START);
    }
}
