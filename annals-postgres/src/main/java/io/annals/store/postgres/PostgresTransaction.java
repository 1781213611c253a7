package io.annals.store.postgres;

import io.annals.event.EventData;
import io.annals.event.StreamId;
import io.annals.store.AppendResult;
import io.annals.store.ExpectedVersion;
import java.sql.Connection;
import java.util.List;

/**
 * One database transaction shared by appends and the caller's own SQL: a projection's read model
 * and checkpoint, a command's deduplication record. Everything commits together or not at all.
 */
public interface PostgresTransaction {

    /** Appends as {@link io.annals.store.StreamAppender#append} does, inside this transaction. */
    AppendResult append(StreamId streamId, ExpectedVersion expected, List<EventData> events);

    /** The transaction's connection, for the caller's own statements. Do not commit, roll back or close it. */
    Connection connection();

    /** Work to run in one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(PostgresTransaction transaction) throws java.sql.SQLException;
    }
}
