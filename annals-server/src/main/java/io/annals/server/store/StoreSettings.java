package io.annals.server.store;

import java.nio.file.Path;
import java.util.Objects;

/** Which event store a node or a CLI command opens. */
public sealed interface StoreSettings {

    /** A short description for logs and health, without secrets. */
    String describe();

    /** Volatile, in this process only: for tests and trials. */
    record InMemory() implements StoreSettings {
        @Override
        public String describe() {
            return "memory";
        }
    }

    /** The embedded SQLite store in a data directory. */
    record Sqlite(Path dataDirectory) implements StoreSettings {
        public Sqlite {
            Objects.requireNonNull(dataDirectory, "dataDirectory");
        }

        @Override
        public String describe() {
            return "sqlite (" + dataDirectory.toAbsolutePath().normalize() + ")";
        }
    }

    /**
     * A PostgreSQL database reached through a JDBC URL; the store's tables live in {@code schema},
     * and the node's work shares a pool of {@code poolSize} connections.
     */
    record Postgres(String jdbcUrl, String schema, int poolSize) implements StoreSettings {

        public static final String DEFAULT_SCHEMA = "annals";
        public static final int DEFAULT_POOL_SIZE = 10;
        /** Far below PostgreSQL's usual connection limit, and more than two cores can keep busy many times over. */
        public static final int MAX_POOL_SIZE = 200;

        public Postgres(String jdbcUrl) {
            this(jdbcUrl, DEFAULT_SCHEMA);
        }

        public Postgres(String jdbcUrl, String schema) {
            this(jdbcUrl, schema, DEFAULT_POOL_SIZE);
        }

        public Postgres {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            Objects.requireNonNull(schema, "schema");
            if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("the PostgreSQL store needs a jdbc:postgresql: URL");
            }
            if (poolSize < 1 || poolSize > MAX_POOL_SIZE) {
                throw new IllegalArgumentException("the pool size must be between 1 and " + MAX_POOL_SIZE + ", got " + poolSize);
            }
        }

        @Override
        public String describe() {
            return "postgres (" + withoutSecrets(jdbcUrl) + ", schema " + schema + ")";
        }

        private static String withoutSecrets(String url) {
            int query = url.indexOf('?');
            String base = query < 0 ? url : url.substring(0, query);
            // user:password@host forms are not valid in pgjdbc URLs, but strip them anyway
            return base.replaceAll("//[^/@]*@", "//");
        }
    }
}
