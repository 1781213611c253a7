package io.annals.sagas.process;

import io.annals.sagas.TestStores;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteProcessManagerRuntimeTest extends ProcessManagerRuntimeTest {

    @TempDir
    static Path directory;

    @Override
    TestStores.Opened open() {
        return TestStores.sqlite(directory);
    }
}
