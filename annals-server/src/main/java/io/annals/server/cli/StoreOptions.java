package io.annals.server.cli;

import io.annals.server.store.StoreSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The options that choose an event store, shared by every command that opens one. */
public final class StoreOptions {

    public enum Kind { sqlite, postgres, memory }

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--store", defaultValue = "sqlite", paramLabel = "KIND",
            description = "Event store: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; env ANNALS_STORE). "
                    + "memory keeps nothing after exit.")
    Kind kind;

    @Option(names = "--data-dir", defaultValue = "annals-data", paramLabel = "DIR",
            description = "Directory of the SQLite store (default: ${DEFAULT-VALUE}, in the working directory; env ANNALS_DATA_DIR).")
    Path dataDirectory;

    @Option(names = "--jdbc-url", paramLabel = "URL",
            description = "PostgreSQL JDBC URL for --store postgres, e.g. jdbc:postgresql://127.0.0.1:5432/annals?user=annals "
                    + "(env ANNALS_JDBC_URL).")
    String jdbcUrl;

    @Option(names = "--pg-schema", defaultValue = StoreSettings.Postgres.DEFAULT_SCHEMA, paramLabel = "NAME",
            description = "PostgreSQL schema of the store's tables, created when missing (default: ${DEFAULT-VALUE}).")
    String schema;

    @Option(names = "--pg-pool-size", defaultValue = "" + StoreSettings.Postgres.DEFAULT_POOL_SIZE, paramLabel = "N",
            description = "Connections the node keeps to PostgreSQL, shared by commands, reads, projections and sagas "
                    + "(default: ${DEFAULT-VALUE}). Callers queue for them in order.")
    int poolSize;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with defaults for any option, keyed by option name (jdbc-url=..., port=...). "
                    + "Default: ./annals.properties when present, or env ANNALS_CONFIG.")
    Path configFile;

    /** Refuses the memory store for {@code command}: it would start empty and keep nothing. */
    void requireDurable(String command) {
        if (kind == Kind.memory) {
            throw new ParameterException(spec.commandLine(), "--store memory starts empty and keeps nothing after "
                    + command + "; " + command + " needs --store sqlite or --store postgres");
        }
    }

    public StoreSettings settings() {
        return switch (kind) {
            case memory -> new StoreSettings.InMemory();
            case sqlite -> new StoreSettings.Sqlite(dataDirectory);
            case postgres -> {
                if (jdbcUrl == null || jdbcUrl.isBlank()) {
                    throw new ParameterException(spec.commandLine(), "--store postgres needs --jdbc-url (or ANNALS_JDBC_URL)");
                }
                try {
                    yield new StoreSettings.Postgres(jdbcUrl, schema, poolSize);
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), e.getMessage());
                }
            }
        };
    }
}
