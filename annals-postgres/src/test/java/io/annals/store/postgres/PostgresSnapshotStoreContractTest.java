package io.annals.store.postgres;

import io.annals.snapshot.SnapshotStore;
import io.annals.store.postgres.testing.TestPostgres;
import io.annals.tck.SnapshotStoreContractTest;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.postgresql.ds.PGSimpleDataSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresSnapshotStoreContractTest extends SnapshotStoreContractTest {

    private final TestPostgres postgres = TestPostgres.get();
    private final SchemaName schema = SchemaName.of(postgres.freshSchema("snapshots"));
    private DataSource dataSource;

    @Override
    protected SnapshotStore createSnapshotStore() {
        if (dataSource == null) {
            var simple = new PGSimpleDataSource();
            simple.setURL(postgres.jdbcUrl());
            dataSource = simple;
            return PostgresSnapshotStore.create(dataSource, schema);
        }
        postgres.emptySchema(schema.value());
        return new PostgresSnapshotStore(dataSource, schema);
    }

    @AfterAll
    void dropSchema() {
        postgres.dropSchema(schema.value());
    }
}
