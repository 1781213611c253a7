package io.annals.bench.db;

/** The database one benchmark run measures every comparator on. */
public sealed interface BenchDatabase extends AutoCloseable permits PostgresBenchDatabase, SqliteBenchDatabase {

    /** What the report says about it, e.g. {@code PostgreSQL 15.20} or {@code SQLite 3.50.1}. */
    String description();

    @Override
    void close();
}
