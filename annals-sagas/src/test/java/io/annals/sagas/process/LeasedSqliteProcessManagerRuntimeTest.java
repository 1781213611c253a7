package io.annals.sagas.process;

import io.annals.sagas.TestStores;
import io.annals.store.EventStore;
import io.annals.store.jdbc.JdbcEventStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;

/** The runtime's behaviour when it runs under the lease shared by the processes of one database. */
class LeasedSqliteProcessManagerRuntimeTest extends ProcessManagerRuntimeTest {

    @TempDir
    static Path directory;

    @Override
    TestStores.Opened open() {
        return TestStores.sqlite(directory);
    }

    @Override
    <S, E> ProcessManagerRuntime<S, E> runtime(EventStore on, ProcessManager<S, E> manager) {
        return ProcessManagerRuntime.leased((JdbcEventStore) on, manager, Clock.systemUTC(), "node-" + UUID.randomUUID(),
                Duration.ofSeconds(1));
    }
}
