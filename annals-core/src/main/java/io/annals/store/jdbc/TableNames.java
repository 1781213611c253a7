package io.annals.store.jdbc;

import java.util.Objects;
import java.util.regex.Pattern;

/** Table names that are safe to splice into SQL: lower-case letters, digits and underscores. */
public final class TableNames {

    private static final Pattern VALID = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private TableNames() {
    }

    /** Returns {@code table} when it is 1 to 63 lower-case letters, digits or underscores, not starting with a digit. */
    public static String requireValid(String table) {
        Objects.requireNonNull(table, "table");
        if (!VALID.matcher(table).matches()) {
            throw new IllegalArgumentException("a table name must be 1 to 63 lower-case letters, digits or underscores"
                    + " and not start with a digit, got '" + table + "'");
        }
        return table;
    }
}
