package io.annals.store.postgres;

import io.annals.store.EventStoreUnavailableException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/** Creates and upgrades the store's tables with versioned Flyway migrations, in one schema. */
public final class SchemaMigrations {

    private static final String LOCATION = "classpath:io/annals/store/postgres/migration";

    private SchemaMigrations() {
    }

    /** Brings {@code schema} up to the latest version; safe to run from many processes at once. */
    public static void migrate(DataSource dataSource, SchemaName schema) {
        try {
            Flyway.configure(SchemaMigrations.class.getClassLoader())
                    .dataSource(dataSource)
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
