package io.annals.store.postgres;

import io.annals.store.postgres.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.UnaryOperator;

/** A store in a fresh schema, dropped on close; for this module's own tests. */
final class PostgresStoreFixture implements AutoCloseable {

    final TestPostgres postgres = TestPostgres.get();
    final String schema;
    final PostgresEventStore store;

    PostgresStoreFixture(String hint) {
        this(hint, builder -> builder);
    }

    PostgresStoreFixture(String hint, UnaryOperator<PostgresEventStoreBuilder> configure) {
        this.schema = postgres.freshSchema(hint);
        this.store = configure.apply(builder()).build();
    }

    /**
     * The read horizon is server-wide: on a shared test server another client's long transaction
     * (a benchmark's bulk import) holds back reads of all events, so tests allow for a long wait.
     */
    static final java.time.Duration SHARED_SERVER_PATIENCE = java.time.Duration.ofSeconds(60);

    private PostgresEventStoreBuilder builder() {
        return PostgresEventStore.builder(postgres.jdbcUrl()).schema(schema).readYourWritesWait(SHARED_SERVER_PATIENCE);
    }

    /** Another store on the same schema, as a second process would have. */
    PostgresEventStore secondStore(UnaryOperator<PostgresEventStoreBuilder> configure) {
        return configure.apply(builder()).build();
    }

    /** Ends every backend whose application name is {@code name}, as a server restart would; returns how many. */
    int terminateBackends(String applicationName) throws SQLException {
        try (Connection connection = postgres.connect();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?")) {
            statement.setString(1, applicationName);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    @Override
    public void close() {
        store.close();
        postgres.dropSchema(schema);
    }
}
