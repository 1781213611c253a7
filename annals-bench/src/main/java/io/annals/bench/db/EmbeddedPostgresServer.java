package io.annals.bench.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Starts a throwaway PostgreSQL when neither --jdbc-url nor ANNALS_TEST_PG_URL names one. */
public final class EmbeddedPostgresServer {

    private EmbeddedPostgresServer() {
    }

    public static PostgresBenchDatabase start() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "200")
                    .start();
            return new PostgresBenchDatabase(postgres.getJdbcUrl("postgres", "postgres"), postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start an embedded PostgreSQL: " + e.getMessage()
                    + " (pass --jdbc-url or set ANNALS_TEST_PG_URL to use a running server)", e);
        }
    }
}
