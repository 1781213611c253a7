package io.annals.store.postgres;

import io.annals.store.jdbc.JdbcEventStore;
import io.annals.store.postgres.testing.TestPostgres;
import io.annals.tck.JdbcEventStoreContractTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

class PostgresEventStoreContractTest extends JdbcEventStoreContractTest {

    private final TestPostgres postgres = TestPostgres.get();
    private final List<String> schemas = new ArrayList<>();

    @Override
    protected JdbcEventStore createStore() {
        String schema = postgres.freshSchema("tck");
        schemas.add(schema);
        return PostgresEventStore.builder(postgres.jdbcUrl()).schema(schema).maxPoolSize(4).build();
    }

    @AfterEach
    void dropSchemas() {
        store.close();
        schemas.forEach(postgres::dropSchema);
    }
}
