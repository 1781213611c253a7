package io.annals.server;

import io.annals.server.store.StoreSettings;
import io.annals.store.postgres.testing.TestPostgres;

class PostgresUsersApiTest extends UsersApiTest {

    private final TestPostgres postgres = TestPostgres.get();
    private String schema;

    @Override
    protected StoreSettings store() {
        schema = postgres.freshSchema("users_api");
        return new StoreSettings.Postgres(postgres.jdbcUrl(), schema);
    }

    @Override
    protected void afterStop() {
        postgres.dropSchema(schema);
    }
}
