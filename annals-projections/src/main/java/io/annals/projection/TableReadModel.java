package io.annals.projection;

import io.annals.store.jdbc.JdbcTransaction;
import io.annals.store.jdbc.TableNames;
import java.sql.Connection;
import java.util.Map;

/** A read model of one transaction, with the projection's tables under the names of one generation. */
record TableReadModel(JdbcTransaction transaction, Dialect dialect, Map<String, TableName> names) implements ReadModel {

    @Override
    public Connection connection() {
        return transaction.connection();
    }

    @Override
    public String table(String name) {
        return name(name).qualified();
    }

    @Override
    public String index(String table, String suffix) {
        return TableNames.requireValid(name(table).bare() + "_" + suffix);
    }

    private TableName name(String name) {
        TableName physical = names.get(name);
        if (physical == null) {
            throw new IllegalArgumentException("'" + name + "' is not one of the projection's tables " + names.keySet());
        }
        return physical;
    }
}
