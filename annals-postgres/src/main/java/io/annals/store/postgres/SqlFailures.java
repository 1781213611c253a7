package io.annals.store.postgres;

import io.annals.store.EventStoreException;
import io.annals.store.EventStoreUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** Turns driver and pool failures into the store's exceptions. */
final class SqlFailures {

    static final String UNIQUE_VIOLATION = "23505";
    /** The unique index on {@code (stream_id, event_id)}: an event id the stream already holds. */
    static final String EVENT_ID_CONSTRAINT = "events_stream_event_id_key";

    private SqlFailures() {
    }

    /** Whether the failure says nothing about the request itself: the server or the connection is the problem. */
    static boolean isConnectionFailure(SQLException e) {
        if (e instanceof SQLTransientConnectionException) {
            return true;
        }
        String state = e.getSQLState();
        if (state == null) {
            return true;
        }
        return state.startsWith("08")           // connection exception
                || state.startsWith("53")       // insufficient resources
                || state.startsWith("57P")      // admin shutdown, crash shutdown, cannot connect now
                || state.equals("57014")        // query cancelled
                || state.equals("40001")        // serialization failure
                || state.equals("40P01");       // deadlock detected
    }

    static EventStoreException unavailable(String action, SQLException e) {
        if (e instanceof SQLTransientConnectionException) {
            return new EventStoreUnavailableException(action + ": no database connection became free in time ("
                    + e.getMessage() + ")", e);
        }
        return new EventStoreUnavailableException(action + ": database error "
                + (e.getSQLState() == null ? "" : "[" + e.getSQLState() + "] ") + e.getMessage(), e);
    }

    static boolean isUniqueViolation(SQLException e, String constraint) {
        return UNIQUE_VIOLATION.equals(e.getSQLState()) && e.getMessage() != null && e.getMessage().contains(constraint);
    }
}
