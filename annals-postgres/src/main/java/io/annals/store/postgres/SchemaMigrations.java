package io.annals.store.postgres;

import io.annals.store.EventStoreUnavailableException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/** Creates and upgrades the store's tables with versioned Flyway migrations, in one schema. */
public final class SchemaMigrations {

    private static final String LOCATION = "classpath:io/annals/store/postgres/migration";

    private SchemaMigrations() {
    }

    /** Brings {@code schema} up to the latest version; safe to run from many processes at once. */
    public static void migrate(DataSource dataSource, SchemaName schema) {
        migrate(Flyway.configure(SchemaMigrations.class.getClassLoader()).dataSource(dataSource), schema);
    }

    /** As {@link #migrate(DataSource, SchemaName)}, on connections of its own rather than a pool's. */
    public static void migrate(String jdbcUrl, String user, String password, SchemaName schema) {
        migrate(Flyway.configure(SchemaMigrations.class.getClassLoader()).dataSource(jdbcUrl, user, password), schema);
    }

    private static void migrate(FluentConfiguration configuration, SchemaName schema) {
        try {
            configuration
                    .schemas(schema.value())
                    .defaultSchema(schema.value())
                    .createSchemas(true)
                    .locations(LOCATION)
                    .table("annals_schema_history")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new EventStoreUnavailableException("could not migrate schema " + schema + ": " + e.getMessage(), e);
        }
    }
}
