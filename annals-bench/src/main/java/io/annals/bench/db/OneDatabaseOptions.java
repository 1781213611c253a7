package io.annals.bench.db;

import io.annals.bench.store.StoreKind;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options of a suite that measures one store: which kind, and the PostgreSQL to measure on. */
public final class OneDatabaseOptions {

    @Option(names = "--store", required = true, paramLabel = "KIND", description = "Event store: postgres or sqlite")
    public StoreKind store;

    @Option(names = "--jdbc-url", paramLabel = "URL", description = "PostgreSQL JDBC URL to measure on; default: $"
            + BenchDatabases.PG_URL_VARIABLE + ", else an embedded PostgreSQL")
    String jdbcUrl;

    /** The database of {@link #store}, as {@link BenchDatabases#open} finds or starts it. */
    public BenchDatabase open(Map<String, String> environment, PrintWriter progress) {
        return BenchDatabases.open(store, jdbcUrl, environment, progress);
    }
}
