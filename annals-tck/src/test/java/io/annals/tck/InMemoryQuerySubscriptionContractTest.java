package io.annals.tck;

import io.annals.store.inmemory.InMemoryEventStore;

class InMemoryQuerySubscriptionContractTest extends QuerySubscriptionContractTest<InMemoryEventStore> {

    @Override
    protected InMemoryEventStore createStore() {
        return new InMemoryEventStore();
    }
}
