package io.annals.server;

import io.annals.server.store.StoreSettings;
import io.annals.store.postgres.testing.TestPostgres;

class PostgresQueryApiTest extends QueryApiTest {

    private final TestPostgres postgres = TestPostgres.get();
    private String schema;

    @Override
    protected StoreSettings store() {
        schema = postgres.freshSchema("query_api");
        return new StoreSettings.Postgres(postgres.jdbcUrl(), schema);
    }

    @Override
    protected void afterStop() {
        postgres.dropSchema(schema);
    }
}
