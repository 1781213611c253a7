package io.annals.projection;

import io.annals.event.RecordedEvent;
import java.sql.SQLException;
import java.util.List;

/**
 * A read model kept in the store's own database (PostgreSQL or SQLite). The runtime applies each
 * selected event in the transaction that also moves the projection's checkpoint, so the read model
 * shows each committed event exactly once, however often the process stops and starts.
 *
 * <p>Events of one stream reach {@link #apply} in stream order; events of different streams may be
 * applied in parallel when the projection runs several partitions.
 */
public interface Projection {

    /** Unique within a store: 1 to 100 letters, digits, {@code - _ .}. */
    String name();

    Selection selection();

    /**
     * The tables the projection owns (lower-case names); a rebuild builds new ones and swaps them
     * in. None by default: a projection whose effects are outside tables of its own. A table not
     * named here cannot be reached through {@link ReadModel#table}.
     */
    default List<String> tables() {
        return List.of();
    }

    /** Creates the tables when they are missing, named by {@link ReadModel#table}; nothing by default. */
    default void createTables(ReadModel model) throws SQLException {
    }

    /** Applies one event. Throwing rolls back the event's effects and its checkpoint; it is retried. */
    void apply(RecordedEvent event, ReadModel model) throws Exception;

    /**
     * Applies the events of one transaction, in order. Override it to write them with fewer
     * round trips (a JDBC batch); a failure is then narrowed down by {@link #apply} of each event.
     */
    default void applyBatch(List<RecordedEvent> events, ReadModel model) throws Exception {
        for (RecordedEvent event : events) {
            apply(event, model);
        }
    }
}
