package io.annals.store.sqlite;

import io.annals.tck.AppendConditionContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteAppendConditionContractTest extends AppendConditionContractTest<SqliteEventStore> {

    @TempDir
    Path directory;

    @Override
    protected SqliteEventStore createStore() {
        return SqliteEventStore.open(directory.resolve("conditions.db"));
    }
}
