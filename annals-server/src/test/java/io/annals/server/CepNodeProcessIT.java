package io.annals.server;

import io.annals.server.CepNodeProcessScenario.Timing;
import io.annals.store.postgres.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/** The CEP module on the node jar over SQLite and PostgreSQL, killed mid-pattern and restarted. */
class CepNodeProcessIT {

    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(Timing.class)
    void sqliteAlertsOnceAcrossAKill(Timing timing) throws Exception {
        CepNodeProcessScenario.run(directory, timing, "--data-dir", directory.resolve("annals-data").toString());
    }

    @ParameterizedTest
    @EnumSource(Timing.class)
    void postgresAlertsOnceAcrossAKill(Timing timing) throws Exception {
        TestPostgres postgres = TestPostgres.get();
        String schema = postgres.freshSchema("cep_it");
        try {
            CepNodeProcessScenario.run(Files.createDirectories(directory.resolve("pg")), timing,
                    "--store", "postgres", "--jdbc-url", postgres.jdbcUrl(), "--pg-schema", schema);
        } finally {
            postgres.dropSchema(schema);
        }
    }
}
