package io.annals.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.annals.store.AppendLimits;
import io.annals.store.EventStoreUnavailableException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import javax.sql.DataSource;

/** Configures and opens a {@link PostgresEventStore}; see {@link PostgresEventStore#builder(String)}. */
public final class PostgresEventStoreBuilder {
    final String jdbcUrl;
    final DataSource dataSource;
    SchemaName schema = SchemaName.of("annals");
    String user;
    String password;
    int maxPoolSize = 10;
    Duration connectionTimeout = Duration.ofSeconds(5);
    AppendLimits limits = AppendLimits.DEFAULT;
    int writeLanes = 2;
    int maxBatchEvents = 500;
    int subscriptionBatchSize = 500;
    Duration pollInterval = Duration.ofSeconds(1);
    Duration reconnectDelay = Duration.ofMillis(500);
    Duration readYourWritesWait = Duration.ofSeconds(2);
    Duration horizonCheckInterval = Duration.ofSeconds(10);
    Duration longTransactionThreshold = Duration.ofSeconds(10);
    ConnectionFactory notificationConnections;
    boolean migrate = true;

    PostgresEventStoreBuilder(String jdbcUrl, DataSource dataSource) {
        this.jdbcUrl = jdbcUrl;
        this.dataSource = dataSource;
    }

    /** The schema that holds the store's tables (default {@code annals}); created when missing. */
    public PostgresEventStoreBuilder schema(String name) {
        this.schema = SchemaName.of(name);
        return this;
    }

    public PostgresEventStoreBuilder credentials(String user, String password) {
        this.user = user;
        this.password = password;
        return this;
    }

    /** Size of the pool the store creates for a JDBC URL (default 10). */
    public PostgresEventStoreBuilder maxPoolSize(int size) {
        this.maxPoolSize = requirePositive(size, "pool size");
        return this;
    }

    /** How long a call waits for a free connection before it fails as unavailable (default 5 s). */
    public PostgresEventStoreBuilder connectionTimeout(Duration timeout) {
        this.connectionTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    public PostgresEventStoreBuilder limits(AppendLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        return this;
    }

    /**
     * Number of parallel write-combining lanes (default 2); streams are spread over them by hash.
     * Each lane commits on its own, so more lanes mean more, smaller commits: on a disk where a
     * commit costs a flush, two lanes gave both the best throughput and the lowest latency tails.
     */
    public PostgresEventStoreBuilder writeLanes(int lanes) {
        this.writeLanes = requirePositive(lanes, "write lanes");
        return this;
    }

    /** Most events written by one combined call (default 500); a larger single append goes alone. */
    public PostgresEventStoreBuilder maxBatchEvents(int events) {
        this.maxBatchEvents = requirePositive(events, "batch events");
        return this;
    }

    public PostgresEventStoreBuilder subscriptionBatchSize(int size) {
        this.subscriptionBatchSize = requirePositive(size, "subscription batch size");
        return this;
    }

    /**
     * How long the subscriptions' shared reader waits at most for a wake-up (this process's
     * commit, or another's notification) before it reads again (default 1 s): the most a lost
     * notification delays a subscription.
     */
    public PostgresEventStoreBuilder pollInterval(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive, got " + interval);
        }
        this.pollInterval = interval;
        return this;
    }

    /**
     * How long a read of all events may wait for older open transactions that hold back events
     * known to be committed (default 2 s; zero: never wait, return what is visible).
     */
    public PostgresEventStoreBuilder readYourWritesWait(Duration wait) {
        this.readYourWritesWait = Objects.requireNonNull(wait, "wait");
        return this;
    }

    /** Delay between attempts to re-open the LISTEN connection (default 500 ms). */
    public PostgresEventStoreBuilder reconnectDelay(Duration delay) {
        this.reconnectDelay = Objects.requireNonNull(delay, "delay");
        return this;
    }

    /**
     * How often to look for a transaction that holds readers back (default 10 s; zero turns the
     * watch off) and how old it must be to be logged as a warning (default 10 s).
     */
    public PostgresEventStoreBuilder horizonWatch(Duration interval, Duration threshold) {
        this.horizonCheckInterval = Objects.requireNonNull(interval, "interval");
        this.longTransactionThreshold = Objects.requireNonNull(threshold, "threshold");
        return this;
    }

    /** Where the dedicated LISTEN connection comes from, for a caller-supplied data source. */
    public PostgresEventStoreBuilder notificationConnections(ConnectionFactory factory) {
        this.notificationConnections = Objects.requireNonNull(factory, "factory");
        return this;
    }

    /** Whether to run the schema migrations on build (default true). */
    public PostgresEventStoreBuilder migrate(boolean migrate) {
        this.migrate = migrate;
        return this;
    }

    public PostgresEventStore build() {
        FairPool pool = dataSource == null ? new FairPool(createPool()) : null;
        DataSource source = pool != null ? pool : dataSource;
        try {
            if (migrate && jdbcUrl != null) {
                // on its own connections: Flyway holds more than one, and the pool may be tiny
                SchemaMigrations.migrate(jdbcUrl, user, password, schema);
            } else if (migrate) {
                SchemaMigrations.migrate(source, schema);
            }
            var store = new PostgresEventStore(this, source, pool, listenerConnections(source));
            store.start();
            return store;
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            throw e;
        }
    }

    private HikariDataSource createPool() {
        var config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null) {
            config.setUsername(user);
            config.setPassword(password);
        }
        config.setMaximumPoolSize(maxPoolSize);
        config.setConnectionTimeout(Math.max(250, connectionTimeout.toMillis()));
        config.setPoolName("annals-pg-" + schema);
        config.addDataSourceProperty("ApplicationName", "annals-pool-" + schema);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new EventStoreUnavailableException(
                    "could not open a connection pool to " + redacted(jdbcUrl) + ": " + e.getMessage(), e);
        }
    }

    private ConnectionFactory listenerConnections(DataSource source) {
        if (notificationConnections != null) {
            return notificationConnections;
        }
        if (jdbcUrl != null) {
            Properties properties = connectionProperties(user, password);
            properties.setProperty("ApplicationName", "annals-listener-" + schema);
            return () -> DriverManager.getConnection(jdbcUrl, properties);
        }
        try {
            if (source.isWrapperFor(HikariDataSource.class)) {
                HikariDataSource hikari = source.unwrap(HikariDataSource.class);
                Properties properties = new Properties();
                properties.putAll(hikari.getDataSourceProperties());
                properties.putAll(connectionProperties(hikari.getUsername(), hikari.getPassword()));
                properties.setProperty("ApplicationName", "annals-listener-" + schema);
                String url = hikari.getJdbcUrl();
                if (url != null) {
                    return () -> DriverManager.getConnection(url, properties);
                }
            }
        } catch (SQLException e) {
            throw new EventStoreUnavailableException("could not inspect the data source", e);
        }
        return source::getConnection;
    }

    private static Properties connectionProperties(String user, String password) {
        var properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        return properties;
    }

    private static String redacted(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?...";
    }

    private static int requirePositive(int value, String what) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
        return value;
    }
}
