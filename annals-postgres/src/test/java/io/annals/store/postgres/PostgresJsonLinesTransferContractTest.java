package io.annals.store.postgres;

import io.annals.store.postgres.testing.TestPostgres;
import io.annals.tck.JsonLinesTransferContractTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/** The transfer contract against a real PostgreSQL; a few schemas for the class, emptied before reuse. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresJsonLinesTransferContractTest extends JsonLinesTransferContractTest<PostgresEventStore> {

    private final TestPostgres postgres = TestPostgres.get();
    private final List<String> schemas = new ArrayList<>();
    private int used;

    @BeforeEach
    void reuseSchemas() {
        used = 0;
    }

    @Override
    protected PostgresEventStore createStore() {
        boolean migrated = used < schemas.size();
        if (migrated) {
            postgres.emptySchema(schemas.get(used));
        } else {
            schemas.add(postgres.freshSchema("transfer"));
        }
        return PostgresEventStore.builder(postgres.jdbcUrl()).schema(schemas.get(used++)).maxPoolSize(4).migrate(!migrated)
                .readYourWritesWait(PostgresStoreFixture.SHARED_SERVER_PATIENCE).build();
    }

    @AfterAll
    void dropSchemas() {
        schemas.forEach(postgres::dropSchema);
    }
}
