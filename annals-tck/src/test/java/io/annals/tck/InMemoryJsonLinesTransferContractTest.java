package io.annals.tck;

import io.annals.store.inmemory.InMemoryEventStore;

class InMemoryJsonLinesTransferContractTest extends JsonLinesTransferContractTest<InMemoryEventStore> {

    @Override
    protected InMemoryEventStore createStore() {
        return new InMemoryEventStore();
    }
}
