package io.annals.tck;

import io.annals.store.inmemory.InMemoryEventStore;

class InMemoryCommandLogContractTest extends CommandLogContractTest<InMemoryEventStore> {

    @Override
    protected InMemoryEventStore createStore() {
        return new InMemoryEventStore();
    }
}
