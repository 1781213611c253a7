package io.annals.sagas.outbox;

import io.annals.sagas.TestStores;

class InMemoryOutboxRelayTest extends OutboxRelayTest {

    @Override
    TestStores.Opened open() {
        return TestStores.inMemory();
    }
}
