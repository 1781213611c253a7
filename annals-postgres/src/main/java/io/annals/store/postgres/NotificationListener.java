package io.annals.store.postgres;

import io.annals.store.subscription.AppendSignal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one dedicated connection (outside the pool) that LISTENs on the store's fixed channel and
 * signals subscriptions when another process appended. When the connection breaks (server
 * restart, terminated backend) it reconnects with a delay and signals once, because
 * notifications sent while it was away are lost; subscriptions also poll, so a lost
 * notification costs latency, never events.
 */
final class NotificationListener implements AutoCloseable {

    static final String CHANNEL = "annals_events";

    private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);
    private static final int WAIT_MILLIS = 250;
    private static final long LIVENESS_CHECK_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final ConnectionFactory connections;
    private final SchemaName schema;
    private final AppendSignal signal;
    private final CommitWatermark watermark;
    private final String payloadPrefix;
    private final Duration reconnectDelay;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean connected;

    NotificationListener(ConnectionFactory connections, SchemaName schema, AppendSignal signal,
                         CommitWatermark watermark, Duration reconnectDelay) {
        this.connections = connections;
        this.schema = schema;
        this.signal = signal;
        this.watermark = watermark;
        this.payloadPrefix = schema.value() + ":";
        this.reconnectDelay = reconnectDelay;
        this.thread = Thread.ofVirtual().name("annals-pg-listener-" + schema).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    boolean isConnected() {
        return connected;
    }

    private boolean isOpen() {
        return closed.getCount() > 0;
    }

    private void run() {
        boolean failing = false;
        while (isOpen()) {
            try (Connection connection = connections.open()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                connected = true;
                if (failing) {
                    log.info("listening for appends to schema {} again", schema);
                    failing = false;
                }
                signal.signal();
                listen(connection);
            } catch (SQLException | RuntimeException e) {
                connected = false;
                if (!isOpen()) {
                    return;
                }
                if (!failing) {
                    log.warn("lost the notification connection for schema {} ({}); subscriptions poll until it is back",
                            schema, e.getMessage());
                    failing = true;
                }
                signal.signal();
                awaitClose(reconnectDelay);
            }
        }
        connected = false;
    }

    private void listen(Connection connection) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        long lastHeard = System.nanoTime();
        while (isOpen()) {
            PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
            if (notifications != null && notifications.length > 0) {
                lastHeard = System.nanoTime();
                boolean news = false;
                for (PGNotification notification : notifications) {
                    news |= accept(notification.getParameter());
                }
                if (news) {
                    signal.signal();
                }
            } else if (System.nanoTime() - lastHeard > LIVENESS_CHECK_NANOS) {
                // a server that vanished without closing the socket would otherwise go unnoticed
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT 1");
                }
                lastHeard = System.nanoTime();
            }
        }
    }

    /**
     * Payload {@code schema:stamp}; true when it announces commits this process did not know of.
     * Another schema's notification is ignored, and so is the echo of this process's own appends,
     * whose commits already woke the subscriptions.
     */
    private boolean accept(String payload) {
        if (payload == null || !payload.startsWith(payloadPrefix)) {
            return false;
        }
        try {
            return watermark.advance(Long.parseLong(payload.substring(payloadPrefix.length())));
        } catch (NumberFormatException e) {
            return true; // still a wake-up for this schema; only the watermark is unknown
        }
    }

    private void awaitClose(Duration timeout) {
        try {
            closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed.countDown();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
