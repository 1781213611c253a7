package io.annals.store.sqlite;

import io.annals.event.EventData;
import io.annals.event.StreamId;
import io.annals.store.AppendResult;
import io.annals.store.ExpectedVersion;

import java.sql.Connection;
import java.util.List;

/**
 * One write transaction on the store file, handed to {@link SqliteEventStore#inTransaction}. Its
 * appends and the caller's own SQL commit together or not at all.
 */
public interface SqliteTransaction {

    /**
     * Appends like {@link SqliteEventStore#append}, inside this transaction. A rejected append
     * (wrong expected version, duplicate, deleted stream) writes nothing and leaves the rest of
     * the transaction usable.
     */
    AppendResult append(StreamId streamId, ExpectedVersion expected, List<EventData> events);

    /**
     * The writer's connection, for the caller's own tables (read models, checkpoints). Use bind
     * parameters for every value. Commit, rollback, savepoints, auto-commit changes and close are
     * refused: the store ends the transaction. Do not write the store's own tables
     * ({@code events}, {@code stream_deletions}, {@code snapshots}), and do not keep the
     * connection after the callback returns.
     */
    Connection connection();
}
