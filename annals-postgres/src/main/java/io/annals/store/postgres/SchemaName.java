package io.annals.store.postgres;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A PostgreSQL schema name that is safe to splice into SQL: lower-case letters, digits and
 * underscores, starting with a letter or underscore, at most 63 characters, not {@code pg_*}.
 * Lower case only, so the name means the same quoted and unquoted.
 */
public record SchemaName(String value) {

    private static final Pattern VALID = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public SchemaName {
        Objects.requireNonNull(value, "schema name");
        if (!VALID.matcher(value).matches() || value.startsWith("pg_")) {
            throw new IllegalArgumentException("schema name must be 1 to 63 lower-case letters, digits or underscores, "
                    + "start with a letter or underscore and not start with pg_, got '" + value + "'");
        }
    }

    public static SchemaName of(String value) {
        return new SchemaName(value);
    }

    /** {@code schema.name}, for SQL text. */
    String qualify(String name) {
        return value + "." + name;
    }

    @Override
    public String toString() {
        return value;
    }
}
