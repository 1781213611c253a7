package io.annals.tck;

import io.annals.store.EventStore;
import io.annals.store.inmemory.InMemoryEventStore;

class InMemoryEventStoreContractTest extends EventStoreContractTest {

    @Override
    protected EventStore createStore() {
        return new InMemoryEventStore();
    }
}
