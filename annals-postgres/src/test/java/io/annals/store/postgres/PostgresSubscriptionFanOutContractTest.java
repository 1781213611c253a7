package io.annals.store.postgres;

import io.annals.store.EventStore;
import io.annals.tck.SubscriptionFanOutContractTest;
import org.junit.jupiter.api.AfterEach;

/** Many subscriptions against a real PostgreSQL, each test in a fresh schema. */
class PostgresSubscriptionFanOutContractTest extends SubscriptionFanOutContractTest {

    private PostgresStoreFixture fixture;

    @Override
    protected EventStore createStore() {
        fixture = new PostgresStoreFixture("fanout");
        return fixture.store;
    }

    /** Runs before the contract closes the store, which is then closed already. */
    @AfterEach
    void dropSchema() {
        fixture.close();
    }
}
