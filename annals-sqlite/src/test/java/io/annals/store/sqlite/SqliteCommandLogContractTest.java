package io.annals.store.sqlite;

import io.annals.tck.CommandLogContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteCommandLogContractTest extends CommandLogContractTest<SqliteEventStore> {

    @TempDir
    Path directory;

    @Override
    protected SqliteEventStore createStore() {
        return SqliteEventStore.open(directory.resolve("commands.db"));
    }
}
