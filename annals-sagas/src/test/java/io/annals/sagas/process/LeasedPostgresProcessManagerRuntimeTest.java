package io.annals.sagas.process;

import io.annals.sagas.TestStores;
import io.annals.store.EventStore;
import io.annals.store.jdbc.JdbcEventStore;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/** The runtime's behaviour when it runs under the lease shared by the processes of one database. */
class LeasedPostgresProcessManagerRuntimeTest extends ProcessManagerRuntimeTest {

    @Override
    TestStores.Opened open() {
        return TestStores.postgres("pmleased");
    }

    @Override
    <S, E> ProcessManagerRuntime<S, E> runtime(EventStore on, ProcessManager<S, E> manager) {
        return ProcessManagerRuntime.leased((JdbcEventStore) on, manager, Clock.systemUTC(), "node-" + UUID.randomUUID(),
                Duration.ofSeconds(1));
    }
}
