package io.annals.store;

import io.annals.event.Position;

/** Reads the events that match a query, across streams, in global order. */
public interface QueryReader {

    /**
     * Reads up to {@code limit} events matching {@code query} strictly after {@code after}. A
     * page shorter than {@code limit} ends the read; its {@link QueryRead#scannedTo()} is the
     * position to put in an {@link AppendCondition} for a decision made on what was read.
     */
    QueryRead read(EventQuery query, Position after, int limit);
}
