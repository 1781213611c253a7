package io.annals.sagas;

class InMemorySagaEngineTest extends SagaEngineTest {

    @Override
    TestStores.Opened open() {
        return TestStores.inMemory();
    }
}
