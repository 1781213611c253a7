package io.annals.store.postgres;

import io.annals.tck.QuerySubscriptionContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/** Subscriptions by query against a real PostgreSQL; one schema for the class, emptied before each test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresQuerySubscriptionContractTest extends QuerySubscriptionContractTest<PostgresEventStore> {

    private final ReusedSchema schema = new ReusedSchema("qsub");

    @Override
    protected PostgresEventStore createStore() {
        return schema.emptyStore();
    }

    @AfterAll
    void dropSchema() {
        schema.drop();
    }
}
