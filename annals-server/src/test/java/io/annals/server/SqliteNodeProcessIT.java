package io.annals.server;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteNodeProcessIT {

    @Test
    void everyAcknowledgedEventIsStreamedOnceInOrderAndSurvivesSigkill(@TempDir Path directory) throws Exception {
        NodeProcessScenario.run(directory, "--data-dir", directory.resolve("annals-data").toString());
    }
}
