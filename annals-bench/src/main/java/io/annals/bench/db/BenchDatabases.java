package io.annals.bench.db;

import io.annals.bench.store.StoreKind;
import java.io.PrintWriter;
import java.util.Map;

/** Opens the database a run measures on, from the command's options and the environment. */
public final class BenchDatabases {

    public static final String PG_URL_VARIABLE = "ANNALS_TEST_PG_URL";

    private BenchDatabases() {
    }

    /**
     * PostgreSQL from {@code jdbcUrl}, else {@value #PG_URL_VARIABLE}, else an embedded server;
     * SQLite in a temporary directory.
     *
     * @throws IllegalArgumentException when the options do not fit together
     */
    public static BenchDatabase open(StoreKind kind, String jdbcUrl, Map<String, String> environment,
                                     PrintWriter progress) {
        return switch (kind) {
            case SQLITE -> {
                if (jdbcUrl != null) {
                    throw new IllegalArgumentException("--jdbc-url applies to --store postgres only");
                }
                yield new SqliteBenchDatabase();
            }
            case POSTGRES -> {
                String url = jdbcUrl != null ? jdbcUrl : environment.get(PG_URL_VARIABLE);
                if (url == null || url.isBlank()) {
                    progress.println("no --jdbc-url and no $" + PG_URL_VARIABLE + ": starting an embedded PostgreSQL");
                    yield EmbeddedPostgresServer.start();
                }
                if (!url.startsWith("jdbc:postgresql:")) {
                    throw new IllegalArgumentException("--jdbc-url must start with jdbc:postgresql:");
                }
                yield new PostgresBenchDatabase(url.trim(), null);
            }
        };
    }
}
