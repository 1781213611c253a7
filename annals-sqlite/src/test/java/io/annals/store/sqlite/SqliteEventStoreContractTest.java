package io.annals.store.sqlite;

import io.annals.store.jdbc.JdbcEventStore;
import io.annals.tck.JdbcEventStoreContractTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class SqliteEventStoreContractTest extends JdbcEventStoreContractTest {

    @TempDir
    Path directory;

    @Override
    protected JdbcEventStore createStore() {
        return SqliteEventStore.open(directory.resolve("contract.db"));
    }
}
