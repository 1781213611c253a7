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

    /** A PostgreSQL database reached through a JDBC URL. */
    record Postgres(String jdbcUrl) implements StoreSettings {
        public Postgres {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("the PostgreSQL store needs a jdbc:postgresql: URL");
            }
        }

        @Override
        public String describe() {
            return "postgres (" + withoutSecrets(jdbcUrl) + ")";
        }

        private static String withoutSecrets(String url) {
            int query = url.indexOf('?');
            String base = query < 0 ? url : url.substring(0, query);
            // user:password@host forms are not valid in pgjdbc URLs, but strip them anyway
            return base.replaceAll("//[^/@]*@", "//");
        }
    }
}
