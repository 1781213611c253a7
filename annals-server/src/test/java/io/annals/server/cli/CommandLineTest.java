package io.annals.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.server.store.StoreSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandLineTest {

    @TempDir
    Path directory;

    private ServeCommand parseServe(Map<String, String> environment, String... args) {
        var commandLine = new CommandLine(new AnnalsCommand());
        commandLine.setDefaultValueProvider(AnnalsDefaults.load(args, environment, directory));
        var parsed = commandLine.parseArgs(args);
        return (ServeCommand) parsed.subcommand().commandSpec().userObject();
    }

    @Test
    void servesSqliteOnLoopbackPort8080ByDefault() {
        ServeCommand serve = parseServe(Map.of(), "serve");

        assertThat(serve.store.settings()).isEqualTo(new StoreSettings.Sqlite(Path.of("annals-data")));
        assertThat(serve.bind).isEqualTo("127.0.0.1");
        assertThat(serve.port).isEqualTo(8080);
        assertThat(serve.maxRequestBytes).isEqualTo(1024 * 1024);
        assertThat(serve.heartbeat).isEqualTo(Duration.ofSeconds(15));
        assertThat(serve.apiKey).isNull();
    }

    @Test
    void environmentVariablesSetOptionsAndTheCommandLineWins() {
        var environment = Map.of("ANNALS_PORT", "9090", "ANNALS_STORE", "postgres",
                "ANNALS_JDBC_URL", "jdbc:postgresql://db:5432/annals", "ANNALS_API_KEY", "k1", "ANNALS_HEARTBEAT", "500ms");

        ServeCommand serve = parseServe(environment, "serve", "--port", "7070");

        assertThat(serve.port).isEqualTo(7070);
        assertThat(serve.apiKey).isEqualTo("k1");
        assertThat(serve.heartbeat).isEqualTo(Duration.ofMillis(500));
        assertThat(serve.store.settings()).isEqualTo(new StoreSettings.Postgres("jdbc:postgresql://db:5432/annals"));
    }

    @Test
    void aConfigFileSetsOptionsBelowTheEnvironment() throws Exception {
        Path file = directory.resolve("node.properties");
        Files.writeString(file, "port=6060\nbind=127.0.0.2\nadmin-key=a1\ndata-dir=/var/annals\n");

        ServeCommand serve = parseServe(Map.of("ANNALS_BIND", "127.0.0.3"), "serve", "--config", file.toString());

        assertThat(serve.port).isEqualTo(6060);
        assertThat(serve.bind).isEqualTo("127.0.0.3");
        assertThat(serve.adminKey).isEqualTo("a1");
        assertThat(serve.store.settings()).isEqualTo(new StoreSettings.Sqlite(Path.of("/var/annals")));
    }

    @Test
    void annalsPropertiesInTheWorkingDirectoryIsReadWhenPresent() throws Exception {
        Files.writeString(directory.resolve("annals.properties"), "port=5050\n");

        assertThat(parseServe(Map.of(), "serve").port).isEqualTo(5050);
    }

    @Test
    void helpExplainsEveryServeOptionAndTheEnvironment() {
        var out = new StringWriter();
        int code = AnnalsCommand.execute(new String[] {"serve", "--help"}, Map.of(), new PrintWriter(out), new PrintWriter(new StringWriter()));

        assertThat(code).isZero();
        assertThat(out.toString()).contains("--store", "--jdbc-url", "--data-dir", "--port", "--bind", "--api-key",
                "--admin-key", "--max-request-bytes", "--config", "ANNALS_");
        var top = new StringWriter();
        AnnalsCommand.execute(new String[] {"--help"}, Map.of(), new PrintWriter(top), new PrintWriter(new StringWriter()));
        assertThat(top.toString()).contains("serve", "export", "import", "load", "projections", "ANNALS_");
    }

    @Test
    void modulesAndTheirSettingsComeFromTheCommandLineTheEnvironmentAndTheConfigFile() throws Exception {
        Files.writeString(directory.resolve("annals.properties"), "projections.batch=10\nprojections.mode=file\nprojections.from=file\n");
        var environment = Map.of("ANNALS_PROJECTIONS_MODE", "environment", "ANNALS_PROJECTIONS_FROM", "environment");

        var config = parseServe(environment, "serve", "--modules", "store-api,projections", "--heartbeat", "2s",
                "--set", "projections.from=command-line").config();

        assertThat(config.modules()).containsExactly("store-api", "projections");
        var projections = config.settings().scope("projections");
        assertThat(projections.get("batch")).hasValue("10");
        assertThat(projections.get("mode")).hasValue("environment");
        assertThat(projections.get("from")).hasValue("command-line");
        assertThat(config.settings().scope("store-api").duration("heartbeat", Duration.ZERO)).isEqualTo(Duration.ofSeconds(2));
        assertThat(parseServe(Map.of(), "serve").config().modules()).containsExactly("store-api", "dashboard");
    }

    @Test
    void kafkaTurnsOnTheKafkaModuleWithItsBootstrapAndNothingKafkaStartsWithoutIt() {
        var config = parseServe(Map.of(), "serve", "--kafka", "broker-1:9092,broker-2:9092").config();
        assertThat(config.modules()).containsExactly("store-api", "dashboard", "kafka");
        assertThat(config.settings().scope("kafka").get("bootstrap")).hasValue("broker-1:9092,broker-2:9092");
        assertThat(parseServe(Map.of(), "serve", "--modules", "store-api,kafka", "--kafka", "b:9092").config().modules())
                .containsExactly("store-api", "kafka");
        assertThat(parseServe(Map.of(), "serve").config().modules()).doesNotContain("kafka");
    }

    @Test
    void theUserExampleIsOnUnlessNoExamplesAndItsWindowsAreSettingsOfModuleUsers() {
        assertThat(parseServe(Map.of(), "serve").noExamples).isFalse();
        assertThat(parseServe(Map.of(), "serve", "--no-examples").noExamples).isTrue();
        var users = parseServe(Map.of("ANNALS_UNLOCK_AFTER", "PT1M"), "serve", "--suspicious-window", "PT30S")
                .config().settings().scope("users");
        assertThat(users.duration("suspicious-window", Duration.ZERO)).isEqualTo(Duration.ofSeconds(30));
        assertThat(users.duration("unlock-after", Duration.ZERO)).isEqualTo(Duration.ofMinutes(1));
        assertThat(parseServe(Map.of(), "serve", "--set", "users.unlock-after=2m").config().settings().scope("users")
                .duration("unlock-after", Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void refusesToServeBeyondLoopbackWithoutAKey() {
        var err = new StringWriter();
        int code = AnnalsCommand.execute(new String[] {"serve", "--store", "memory", "--bind", "0.0.0.0"}, Map.of(),
                new PrintWriter(new StringWriter()), new PrintWriter(err));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--api-key");
    }

    @Test
    void thePostgresPoolSizeIsAnOptionWithinBounds() {
        ServeCommand serve = parseServe(Map.of(), "serve", "--store", "postgres", "--jdbc-url", "jdbc:postgresql://db/annals",
                "--pg-pool-size", "32");
        assertThat(serve.store.settings()).isEqualTo(new StoreSettings.Postgres("jdbc:postgresql://db/annals", "annals", 32));

        var err = new StringWriter();
        int code = AnnalsCommand.execute(new String[] {"serve", "--store", "postgres", "--jdbc-url", "jdbc:postgresql://db/annals",
                "--pg-pool-size", "0"}, Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("pool size must be between 1 and 200");
    }

    @Test
    void postgresWithoutAUrlIsAUsageError() {
        var err = new StringWriter();
        int code = AnnalsCommand.execute(new String[] {"serve", "--store", "postgres"}, Map.of(),
                new PrintWriter(new StringWriter()), new PrintWriter(err));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--jdbc-url");
    }

    @Test
    void aMissingNamedConfigFileIsAUsageError() {
        var err = new StringWriter();
        int code = AnnalsCommand.execute(new String[] {"serve", "--config", directory.resolve("nope.properties").toString()},
                Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("does not exist");
    }

    private record Run(int code, String out, String err, byte[] data) {
    }

    private Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var data = new java.io.ByteArrayOutputStream();
        int code = AnnalsCommand.execute(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), data);
        return new Run(code, out.toString(), err.toString(), data.toByteArray());
    }

    @Test
    void helpListsEveryCommandBenchIncluded() {
        assertThat(run("--help").out()).contains("serve", "export", "import", "bench");
        var bench = run("bench", "http");
        assertThat(bench.code()).isEqualTo(2);
        assertThat(bench.err()).contains("./annals bench http");
    }

    @Test
    void aRefusalSaysWhyAndWhereToLookWithoutTheWholeUsage() {
        var refused = run("serve", "--port", "eighty");

        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("eighty", "Try 'annals serve --help'").doesNotContain("--max-request-bytes", "Usage:");
        assertThat(refused.err().lines().count()).isLessThanOrEqualTo(2);
    }

    @Test
    void anUnknownKeyInTheConfigFileIsAnErrorThatNamesIt() throws Exception {
        Path file = directory.resolve("typo.properties");
        Files.writeString(file, "prot=8081\nstore-api.heartbeat=5s\n");

        var refused = run("serve", "--config", file.toString());

        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("unknown key 'prot'").doesNotContain("'store-api.heartbeat'");
    }

    @Test
    void exportAndImportRefuseTheMemoryStore() {
        for (String[] args : new String[][] {{"export", "--store", "memory", "--out", "-"},
                {"import", "--store", "memory", directory.resolve("x.jsonl").toString()}}) {
            var refused = run(args);
            assertThat(refused.code()).as(args[0]).isEqualTo(2);
            assertThat(refused.err()).as(args[0]).contains("--store memory", "sqlite");
        }
    }

    @Test
    void exportWritesToStandardOutputWithDashAndDoesNotOverwriteAFileWithoutForce() throws Exception {
        String dataDir = directory.resolve("data").toString();
        try (var store = io.annals.server.store.EventStores.open(new StoreSettings.Sqlite(Path.of(dataDir)))) {
            store.append(io.annals.event.StreamId.of("exported-1"), io.annals.store.ExpectedVersion.any(),
                    java.util.List.of(io.annals.event.EventData.of("Exported", "{\"n\":1}")));
        }
        var toStdout = run("export", "--data-dir", dataDir, "--out", "-");
        assertThat(toStdout.code()).as(toStdout.err()).isZero();
        assertThat(new String(toStdout.data(), java.nio.charset.StandardCharsets.UTF_8)).contains("\"streamId\":\"exported-1\"", "Exported");
        assertThat(toStdout.out()).isEmpty();
        assertThat(toStdout.err()).contains("exported 1 events");

        Path existing = Files.writeString(directory.resolve("kept.jsonl"), "precious\n");
        var refused = run("export", "--data-dir", dataDir, "--out", existing.toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("--force");
        assertThat(Files.readString(existing)).isEqualTo("precious\n");

        var forced = run("export", "--data-dir", dataDir, "--out", existing.toString(), "--force");
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(Files.readString(existing)).doesNotContain("precious");
    }
}
