package io.annals.sagas.outbox;

import io.annals.sagas.TestStores;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteOutboxRelayTest extends OutboxRelayTest {

    @TempDir
    static Path directory;

    @Override
    TestStores.Opened open() {
        return TestStores.sqlite(directory);
    }
}
