package io.annals.store.jdbc;

import io.annals.store.EventStore;

/**
 * An event store kept in a relational database, which lets the caller commit its own writes in
 * the same transaction as an append: a read model together with its checkpoint, a command's
 * deduplication record together with the command's events, an outbox row together with the
 * events it announces.
 */
public interface JdbcEventStore extends EventStore {

    /**
     * Runs {@code work} in one database transaction and commits it when {@code work} returns;
     * rolls everything back (appends included) when it throws, and rethrows: a runtime exception
     * as it is, an {@link java.sql.SQLException} of the caller's own statements wrapped in
     * {@link JdbcWorkException}. Subscribers see the appended events only after the commit.
     */
    <T> T inTransaction(JdbcTransactionWork<T> work);

    /**
     * Runs {@code work}, the caller's own queries, on a read-only connection that sees one
     * consistent state of what was committed, without waiting for writers: the queries of a read
     * model, say. On SQLite {@link #inTransaction} runs in the one writer's turn, so a query there
     * would wait behind every append. An {@link java.sql.SQLException} of the caller's own
     * statements (a write among them) comes out wrapped in {@link JdbcWorkException}.
     */
    <T> T read(JdbcReadWork<T> work);

    /**
     * How the caller's SQL inside {@link #inTransaction} names one of the store's own tables
     * ({@code projection_checkpoints}, say): qualified with the store's schema where it has one.
     *
     * @throws IllegalArgumentException when {@code table} is not a lower-case SQL identifier
     */
    default String tableName(String table) {
        return TableNames.requireValid(table);
    }
}
