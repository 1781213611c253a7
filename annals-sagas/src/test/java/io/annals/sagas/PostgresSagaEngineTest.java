package io.annals.sagas;

class PostgresSagaEngineTest extends SagaEngineTest {

    @Override
    TestStores.Opened open() {
        return TestStores.postgres("sagaengine");
    }
}
