package io.annals.tck;

import io.annals.store.AppendLimits;
import io.annals.store.EventStore;
import io.annals.store.inmemory.InMemoryEventStore;
import java.time.Clock;

class InMemoryEventStoreContractTest extends EventStoreContractTest {

    @Override
    protected EventStore createStore() {
        return new InMemoryEventStore();
    }

    @Override
    protected EventStore reopenStore(EventStore closed) {
        return new InMemoryEventStore(((InMemoryEventStore) closed).memory(), AppendLimits.DEFAULT, Clock.systemUTC());
    }

    @Override
    protected boolean densePositions() {
        return true;
    }
}
