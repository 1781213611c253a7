package io.annals.sagas.process;

import io.annals.sagas.TestStores;

class PostgresProcessManagerRuntimeTest extends ProcessManagerRuntimeTest {

    @Override
    TestStores.Opened open() {
        return TestStores.postgres("processman");
    }
}
