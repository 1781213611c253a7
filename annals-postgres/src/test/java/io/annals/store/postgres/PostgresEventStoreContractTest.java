package io.annals.store.postgres;

import io.annals.store.EventStore;
import io.annals.store.jdbc.JdbcEventStore;
import io.annals.store.postgres.testing.TestPostgres;
import io.annals.tck.JdbcEventStoreContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/** The whole store contract against a real PostgreSQL; one schema for the class, emptied before each test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresEventStoreContractTest extends JdbcEventStoreContractTest {

    private final TestPostgres postgres = TestPostgres.get();
    private final String schema = postgres.freshSchema("tck");
    private boolean migrated;

    @Override
    protected JdbcEventStore createStore() {
        if (migrated) {
            postgres.emptySchema(schema);
        }
        var created = open(!migrated);
        migrated = true;
        return created;
    }

    /** Another store on the same schema, as the process would open after a restart. */
    @Override
    protected JdbcEventStore reopenStore(EventStore closed) {
        return open(false);
    }

    private PostgresEventStore open(boolean migrate) {
        return PostgresEventStore.builder(postgres.jdbcUrl()).schema(schema).maxPoolSize(4).migrate(migrate)
                .readYourWritesWait(PostgresStoreFixture.SHARED_SERVER_PATIENCE).build();
    }

    @AfterAll
    void dropSchema() {
        postgres.dropSchema(schema);
    }
}
