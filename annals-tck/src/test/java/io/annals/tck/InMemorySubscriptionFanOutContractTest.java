package io.annals.tck;

import io.annals.store.EventStore;
import io.annals.store.inmemory.InMemoryEventStore;

class InMemorySubscriptionFanOutContractTest extends SubscriptionFanOutContractTest {

    @Override
    protected EventStore createStore() {
        return new InMemoryEventStore();
    }
}
