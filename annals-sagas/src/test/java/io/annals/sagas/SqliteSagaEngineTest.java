package io.annals.sagas;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteSagaEngineTest extends SagaEngineTest {

    @TempDir
    static Path directory;

    @Override
    TestStores.Opened open() {
        return TestStores.sqlite(directory);
    }
}
