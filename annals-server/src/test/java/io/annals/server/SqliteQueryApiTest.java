package io.annals.server;

import io.annals.server.store.StoreSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteQueryApiTest extends QueryApiTest {

    @TempDir
    static Path directory;

    @Override
    protected StoreSettings store() {
        return new StoreSettings.Sqlite(directory);
    }
}
