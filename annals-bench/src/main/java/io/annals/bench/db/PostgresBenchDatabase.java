package io.annals.bench.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/** A PostgreSQL server reached by JDBC URL; each subject works in a schema of its own. */
public final class PostgresBenchDatabase implements BenchDatabase {

    private final String jdbcUrl;
    private final AutoCloseable owner;
    private final String version;

    /**
     * @param owner closed with this database: the embedded server when the run started one
     */
    public PostgresBenchDatabase(String jdbcUrl, AutoCloseable owner) {
        this.jdbcUrl = jdbcUrl;
        this.owner = owner;
        this.version = query("SHOW server_version");
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    @Override
    public String description() {
        return "PostgreSQL " + version + (owner == null ? "" : " (embedded)");
    }

    public String createSchema(String caseName, String subjectName) {
        String schema = SchemaNames.fresh(caseName, subjectName);
        execute("CREATE SCHEMA " + schema);
        return schema;
    }

    public void dropSchema(String schema) {
        execute("DROP SCHEMA IF EXISTS " + SchemaNames.requireValid(schema) + " CASCADE");
    }

    /**
     * A pool whose connections use {@code schema} as search path.
     *
     * @param driverProperties pgjdbc settings such as {@code reWriteBatchedInserts}
     */
    public HikariDataSource pool(String schema, int size, boolean autoCommit, Map<String, String> driverProperties) {
        var config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setSchema(SchemaNames.requireValid(schema));
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setAutoCommit(autoCommit);
        config.setPoolName("bench-" + schema);
        config.setConnectionTimeout(60_000);
        driverProperties.forEach(config::addDataSourceProperty);
        return new HikariDataSource(config);
    }

    public void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             var statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL refused: " + sql + ": " + e.getMessage(), e);
        }
    }

    private String query(String sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             var statement = connection.createStatement();
             var result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach PostgreSQL at " + redacted(jdbcUrl) + ": " + e.getMessage(), e);
        }
    }

    static String redacted(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    @Override
    public void close() {
        if (owner != null) {
            try {
                owner.close();
            } catch (Exception e) {
                System.err.println("could not stop the embedded PostgreSQL: " + e.getMessage());
            }
        }
    }
}
