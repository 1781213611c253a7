package io.annals.server;

import io.annals.store.postgres.testing.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresNodeProcessIT {

    @Test
    void everyAcknowledgedEventIsStreamedOnceInOrderAndSurvivesSigkill(@TempDir Path directory) throws Exception {
        TestPostgres postgres = TestPostgres.get();
        String schema = postgres.freshSchema("server_it");
        try {
            NodeProcessScenario.run(directory, "--store", "postgres", "--jdbc-url", postgres.jdbcUrl(), "--pg-schema", schema);
        } finally {
            postgres.dropSchema(schema);
        }
    }
}
