package io.annals.store.jdbc;

import io.annals.event.EventData;
import io.annals.event.StreamId;
import io.annals.store.AppendResult;
import io.annals.store.ExpectedVersion;
import java.sql.Connection;
import java.util.List;

/** One open transaction of a {@link JdbcEventStore}. Valid only inside its {@link JdbcTransactionWork}. */
public interface JdbcTransaction {

    /** Appends with the same checks and idempotence as {@link io.annals.store.StreamAppender#append}. */
    AppendResult append(StreamId streamId, ExpectedVersion expected, List<EventData> events);

    /**
     * The transaction's connection, for the caller's own statements. Do not commit, roll back or
     * close it; {@link JdbcEventStore#inTransaction} does that.
     */
    Connection connection();
}
