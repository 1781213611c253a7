package io.annals.store.postgres.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL for tests: the server named by {@code ANNALS_TEST_PG_URL} when set (for
 * example {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}), otherwise an embedded
 * PostgreSQL started once per JVM. Tests isolate themselves in fresh schemas.
 *
 * <p>Published in this module's test-jar for the server and benchmark modules.
 */
public final class TestPostgres {

    public static final String URL_VARIABLE = "ANNALS_TEST_PG_URL";
    private static final Pattern SCHEMA = Pattern.compile("t_[a-z0-9_]{1,60}");

    private final String jdbcUrl;

    private TestPostgres(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    /** The configured server, or the embedded one (started on first use). */
    public static TestPostgres get() {
        String configured = System.getenv(URL_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return new TestPostgres(configured.trim());
        }
        return new TestPostgres(Embedded.URL);
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl);
    }

    /** A new, unused schema name {@code t_<hint>_<random>}; the store creates the schema itself. */
    public String freshSchema(String hint) {
        String cleaned = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        if (cleaned.length() > 30) {
            cleaned = cleaned.substring(0, 30);
        }
        return "t_" + cleaned + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Drops a schema made by {@link #freshSchema}, with everything in it. */
    public void dropSchema(String schema) {
        if (!SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("not a test schema: " + schema);
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop schema " + schema, e);
        }
    }

    /** Deletes every row of the store's tables in a schema made by {@link #freshSchema}, keeping the tables. */
    public void emptySchema(String schema) {
        if (!SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("not a test schema: " + schema);
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM " + schema + ".events; DELETE FROM " + schema + ".streams; DELETE FROM "
                    + schema + ".snapshots; DELETE FROM " + schema + ".event_tags; DELETE FROM " + schema + ".command_outcomes");
        } catch (SQLException e) {
            throw new IllegalStateException("could not empty schema " + schema, e);
        }
    }

    /** Holder: the embedded server starts on first use and stops when the JVM exits. */
    private static final class Embedded {
        static final String URL = start();

        private static String start() {
            try {
                EmbeddedPostgres server = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.close();
                    } catch (IOException ignored) {
                        // the JVM is exiting; the data directory is temporary
                    }
                }));
                return server.getJdbcUrl("postgres", "postgres");
            } catch (IOException e) {
                throw new UncheckedIOException("could not start embedded PostgreSQL; set " + URL_VARIABLE
                        + " to a server's JDBC URL instead", e);
            }
        }
    }
}
