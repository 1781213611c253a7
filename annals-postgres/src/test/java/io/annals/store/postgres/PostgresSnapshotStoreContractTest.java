package io.annals.store.postgres;

import io.annals.snapshot.SnapshotStore;
import io.annals.store.postgres.testing.TestPostgres;
import io.annals.tck.SnapshotStoreContractTest;
import org.junit.jupiter.api.AfterEach;

class PostgresSnapshotStoreContractTest extends SnapshotStoreContractTest {

    private final TestPostgres postgres = TestPostgres.get();
    private final String schema = postgres.freshSchema("snapshots");
    private PostgresEventStore store;

    @Override
    protected SnapshotStore createSnapshotStore() {
        store = PostgresEventStore.builder(postgres.jdbcUrl()).schema(schema).maxPoolSize(2).build();
        return store.snapshots();
    }

    @AfterEach
    void dropSchema() {
        store.close();
        postgres.dropSchema(schema);
    }
}
