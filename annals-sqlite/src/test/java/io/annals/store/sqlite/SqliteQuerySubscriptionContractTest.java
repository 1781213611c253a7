package io.annals.store.sqlite;

import io.annals.tck.QuerySubscriptionContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteQuerySubscriptionContractTest extends QuerySubscriptionContractTest<SqliteEventStore> {

    @TempDir
    Path directory;

    @Override
    protected SqliteEventStore createStore() {
        return SqliteEventStore.open(directory.resolve("query-subscriptions.db"));
    }
}
