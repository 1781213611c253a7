package io.annals.sagas.process;

import io.annals.sagas.TestStores;

class InMemoryProcessManagerRuntimeTest extends ProcessManagerRuntimeTest {

    @Override
    TestStores.Opened open() {
        return TestStores.inMemory();
    }
}
