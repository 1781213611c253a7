package io.annals.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.annals.store.postgres.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/** Many more virtual threads than connections all get theirs, and a connection's permit is returned exactly once. */
class FairPoolTest {

    private static final int CONNECTIONS = 2;

    private final FairPool pool = new FairPool(hikari());

    private static HikariDataSource hikari() {
        var config = new HikariConfig();
        config.setJdbcUrl(TestPostgres.get().jdbcUrl());
        config.setMaximumPoolSize(CONNECTIONS);
        config.setConnectionTimeout(2_000);
        config.setPoolName("fair-pool-test");
        return new HikariDataSource(config);
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void sixtyFourThreadsShareTwoConnectionsWithoutATimeout() throws Exception {
        var queries = new AtomicInteger();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var clients = new ArrayList<Future<?>>();
            for (int client = 0; client < 64; client++) {
                clients.add(threads.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        try (Connection connection = pool.getConnection();
                             Statement statement = connection.createStatement();
                             ResultSet row = statement.executeQuery("SELECT 1")) {
                            row.next();
                            queries.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : clients) {
                client.get();
            }
        }
        assertThat(queries).hasValue(64 * 50);
        assertEveryPermitIsBack();
    }

    @Test
    void closingAConnectionTwiceReturnsItsPermitOnce() throws Exception {
        Connection connection = pool.getConnection();
        assertThat(connection.unwrap(PGConnection.class)).as("the driver's connection is reachable").isNotNull();
        connection.close();
        connection.close();
        assertEveryPermitIsBack();
    }

    /** Exactly as many connections as the pool holds can be taken at once, and no more. */
    private void assertEveryPermitIsBack() throws Exception {
        var held = new ArrayList<Connection>();
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                held.add(pool.getConnection());
            }
            assertThatThrownBy(pool::getConnection).isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("no connection became free");
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
    }
}
