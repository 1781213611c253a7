package io.annals.tck;

import io.annals.store.inmemory.InMemoryEventStore;

class InMemoryAppendConditionContractTest extends AppendConditionContractTest<InMemoryEventStore> {

    @Override
    protected InMemoryEventStore createStore() {
        return new InMemoryEventStore();
    }
}
