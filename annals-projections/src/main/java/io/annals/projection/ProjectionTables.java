package io.annals.projection;

import io.annals.store.jdbc.JdbcEventStore;
import io.annals.store.jdbc.JdbcTransaction;
import io.annals.store.jdbc.TableNames;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A projection's read model in the store's database: its tables under the names of one
 * generation, and the views queries read. The {@link ProjectionRuntime} feeds a read model from
 * the store; {@link #register} lets another feed (a Kafka consumer group, say) run the same
 * {@link Projection} into the same kind of tables, applying events in transactions of its own.
 */
public final class ProjectionTables {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    /** Longest table name a projection may use; its generations add a suffix. */
    private static final int MAX_TABLE = 50;

    private final JdbcEventStore store;
    private final Dialect dialect;
    private final Projection projection;
    private final int generation;
    private final Map<String, TableName> names;

    private ProjectionTables(JdbcEventStore store, Dialect dialect, Projection projection, int generation) {
        this.store = store;
        this.dialect = dialect;
        this.projection = projection;
        this.generation = generation;
        this.names = names(store, projection, generation);
    }

    /**
     * Registers {@code projection} in the store (generation 1 when it is new) and creates its
     * tables and views when they are missing, for a feed other than the runtime's. A projection
     * is fed by one source: do not register it with a {@link ProjectionRuntime} as well.
     *
     * @throws IllegalArgumentException when its name or tables are not valid
     */
    public static ProjectionTables register(JdbcEventStore store, Projection projection) {
        Objects.requireNonNull(store, "store");
        requireValid(projection);
        return store.inTransaction(tx -> {
            Dialect dialect = Dialect.of(tx.connection());
            int generation = new ProjectionTable(store).register(tx.connection(), projection.name(), 1).generation();
            var tables = new ProjectionTables(store, dialect, projection, generation);
            tables.createMissing(tx);
            return tables;
        });
    }

    public Projection projection() {
        return projection;
    }

    public int generation() {
        return generation;
    }

    /** The read model in a transaction of the store; the caller commits it. */
    public ReadModel readModel(JdbcTransaction transaction) {
        return new TableReadModel(transaction, dialect, names);
    }

    static void requireValid(Projection projection) {
        Objects.requireNonNull(projection, "projection");
        String name = projection.name();
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a projection name is 1 to 100 letters, digits, '-', '_' or '.', got '"
                    + name + "'");
        }
        for (String table : projection.tables()) {
            TableNames.requireValid(table);
            if (table.length() > MAX_TABLE) {
                throw new IllegalArgumentException("table names of projections have at most " + MAX_TABLE
                        + " characters, got '" + table + "'");
            }
        }
    }

    /** The physical tables of one generation: {@code <table>_g<generation>}. */
    static Map<String, TableName> names(JdbcEventStore store, Projection projection, int generation) {
        var names = new HashMap<String, TableName>();
        for (String table : projection.tables()) {
            String bare = table + "_g" + generation;
            names.put(table, new TableName(store.tableName(bare), bare));
        }
        return names;
    }

    /** Creates the generation's tables, and the views named after them when they are missing. */
    static void createMissing(JdbcTransaction transaction, JdbcEventStore store, Dialect dialect, Projection projection,
                              Map<String, TableName> names) throws SQLException {
        projection.createTables(new TableReadModel(transaction, dialect, names));
        for (String view : projection.tables()) {
            String table = names.get(view).qualified();
            String sql = switch (dialect) {
                case POSTGRESQL -> "CREATE OR REPLACE VIEW " + store.tableName(view) + " AS SELECT * FROM " + table;
                case SQLITE -> "CREATE VIEW IF NOT EXISTS " + store.tableName(view) + " AS SELECT * FROM " + table;
            };
            try (Statement statement = transaction.connection().createStatement()) {
                statement.execute(sql);
            }
        }
    }

    private void createMissing(JdbcTransaction transaction) throws SQLException {
        createMissing(transaction, store, dialect, projection, names);
    }
}
