package io.annals.sagas.outbox;

import io.annals.sagas.TestStores;

class PostgresOutboxRelayTest extends OutboxRelayTest {

    @Override
    TestStores.Opened open() {
        return TestStores.postgres("outboxrela");
    }
}
