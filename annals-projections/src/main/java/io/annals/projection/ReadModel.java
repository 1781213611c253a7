package io.annals.projection;

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

    /** The SQL name of one of the projection's tables (as listed in {@link Projection#tables()}). */
    String table(String name);

    /** A name for an index of {@code table}, unique to this generation; {@code suffix} is lower-case letters and digits. */
    String index(String table, String suffix);

    Dialect dialect();
}
