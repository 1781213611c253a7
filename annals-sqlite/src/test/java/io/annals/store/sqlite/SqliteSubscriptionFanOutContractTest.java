package io.annals.store.sqlite;

import io.annals.store.EventStore;
import io.annals.tck.SubscriptionFanOutContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteSubscriptionFanOutContractTest extends SubscriptionFanOutContractTest {

    @TempDir
    Path directory;

    @Override
    protected EventStore createStore() {
        return SqliteEventStore.open(directory.resolve("fan-out.db"));
    }
}
