package io.annals.event;

import java.util.Set;

/**
 * A domain event that knows its own tags. The {@link io.annals.serialization.EventSerializer}
 * writes them with the event, so that every path that stores the event (a per-stream decider, a
 * decider over a query, an aggregate root) tags it alike and none can forget to.
 */
public interface Tagged {

    /** The tags to store with this event; normalise values before tagging (see {@link Tag}). */
    Set<Tag> tags();
}
