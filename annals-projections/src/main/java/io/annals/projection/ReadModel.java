package io.annals.projection;

import io.annals.store.jdbc.JdbcTransaction;
import java.sql.Connection;

/**
 * Where a projection writes, inside the transaction that also moves its checkpoint. Name every
 * table the projection owns through {@link #table} and every index through {@link #index}: each
 * generation of the read model has tables of its own (a rebuild fills the next one), and queries
 * read them through views named after the tables.
 */
public interface ReadModel {

    /** The transaction's connection; do not commit, roll back or close it. */
    Connection connection();

    /**
     * The transaction itself, for a projection whose effect is events: what it appends commits
     * with the checkpoint, under the lease's fence, or not at all (a process manager's decisions).
     */
    JdbcTransaction transaction();

    /** The SQL name of one of the projection's tables (as listed in {@link Projection#tables()}). */
    String table(String name);

    /** A name for an index of {@code table}, unique to this generation; {@code suffix} is lower-case letters and digits. */
    String index(String table, String suffix);

    Dialect dialect();
}
