package io.annals.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures and watches the price of the gap-free order: a transaction left open holds readers of
 * all events back. Periodically logs a warning naming the blocking backend when readers have
 * been held back behind a transaction older than the threshold.
 */
final class HorizonWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HorizonWatch.class);
    private static final int HELD_BACK_CAP = 1_000_000;

    private final DataSource dataSource;
    private final SchemaName schema;
    private final Duration interval;
    private final Duration threshold;
    private final String lagSql;
    private final CountDownLatch closed = new CountDownLatch(1);
    private Thread thread;

    HorizonWatch(DataSource dataSource, SchemaName schema, Duration interval, Duration threshold) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.interval = interval;
        this.threshold = threshold;
        this.lagSql = "SELECT (SELECT count(*) FROM (SELECT 1 FROM " + schema.qualify("events")
                + " WHERE transaction_id >= " + EventReads.HORIZON + " LIMIT " + HELD_BACK_CAP + ") held),"
                + " a.pid, extract(epoch FROM clock_timestamp() - a.xact_start), a.state, left(a.query, 1000)"
                + " FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT pid, xact_start, state, query FROM pg_stat_activity"
                + " WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
                + " ORDER BY age(backend_xid) DESC LIMIT 1) a ON true";
    }

    void start() {
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        thread = Thread.ofVirtual().name("annals-pg-horizon-" + schema).start(this::run);
    }

    ReaderLag measure() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(lagSql);
             ResultSet row = statement.executeQuery()) {
            row.next();
            long heldBack = row.getLong(1);
            int pid = row.getInt(2);
            if (row.wasNull()) {
                return new ReaderLag(heldBack, Optional.empty());
            }
            Duration age = Duration.ofMillis(Math.round(row.getDouble(3) * 1000));
            return new ReaderLag(heldBack, Optional.of(
                    new ReaderLag.OpenTransaction(pid, age, row.getString(4), row.getString(5))));
        }
    }

    private void run() {
        while (!awaitClose()) {
            try {
                ReaderLag lag = measure();
                if (lag.isHeldBack()) {
                    lag.oldestTransaction()
                            .filter(open -> open.age().compareTo(threshold) >= 0)
                            .ifPresent(open -> log.warn(
                                    "readers of all events in schema {} are held back: {} committed events wait behind "
                                            + "the transaction of backend pid {}, open for {} s (state {}): {}",
                                    schema, lag.heldBackEvents(), open.pid(), open.age().toSeconds(), open.state(),
                                    open.query()));
                }
            } catch (SQLException e) {
                log.debug("could not measure reader lag of schema {}: {}", schema, e.getMessage());
            }
        }
    }

    /** Waits one interval; true when closed. */
    private boolean awaitClose() {
        try {
            return closed.await(interval.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    @Override
    public void close() {
        closed.countDown();
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
