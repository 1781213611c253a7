package io.annals.store.sqlite;

import io.annals.property.Draw;
import io.annals.store.EventStore;
import io.annals.store.jdbc.JdbcEventStore;
import io.annals.tck.JdbcEventStoreContractTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

class SqliteEventStoreContractTest extends JdbcEventStoreContractTest {

    @TempDir
    Path directory;

    private int files;
    private final Map<Path, UnindexedTail.FlushPolicy> flushPolicies = new HashMap<>();

    @Override
    protected JdbcEventStore createStore() {
        return SqliteEventStore.open(nextFile());
    }

    /** Indexes streams every few events, so that the model's reads fall on both sides of the index's horizon. */
    @Override
    protected EventStore createStoreFor(Draw draw) {
        Path file = nextFile();
        flushPolicies.put(file, new UnindexedTail.FlushPolicy(draw.intBetween(1, 8), Duration.ofHours(1)));
        return SqliteEventStore.builder(file).streamIndexFlush(flushPolicies.get(file)).build();
    }

    @Override
    protected JdbcEventStore reopenStore(EventStore closed) {
        Path file = ((SqliteEventStore) closed).file();
        return SqliteEventStore.builder(file)
                .streamIndexFlush(flushPolicies.getOrDefault(file, UnindexedTail.FlushPolicy.DEFAULT)).build();
    }

    @Override
    protected boolean densePositions() {
        return true;
    }

    private Path nextFile() {
        return directory.resolve("contract-" + files++ + ".db");
    }
}
