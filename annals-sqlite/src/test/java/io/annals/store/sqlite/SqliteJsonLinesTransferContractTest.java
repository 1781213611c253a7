package io.annals.store.sqlite;

import io.annals.tck.JsonLinesTransferContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteJsonLinesTransferContractTest extends JsonLinesTransferContractTest<SqliteEventStore> {

    @TempDir
    Path directory;
    private int stores;

    @Override
    protected SqliteEventStore createStore() {
        return SqliteEventStore.open(directory.resolve("store-" + ++stores + ".db"));
    }
}
