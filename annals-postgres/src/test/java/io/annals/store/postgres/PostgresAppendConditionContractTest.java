package io.annals.store.postgres;

import io.annals.tck.AppendConditionContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/** Tags, queries and append conditions against a real PostgreSQL; one schema for the class, emptied before each test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresAppendConditionContractTest extends AppendConditionContractTest<PostgresEventStore> {

    private final ReusedSchema schema = new ReusedSchema("dcb");

    @Override
    protected PostgresEventStore createStore() {
        return schema.emptyStore();
    }

    @AfterAll
    void dropSchema() {
        schema.drop();
    }
}
