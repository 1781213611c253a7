package io.annals.store.postgres;

import io.annals.store.subscription.AppendSignal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
    /** The payload a listener sends when it starts listening, so that the others start notifying. */
    static final String ARRIVAL_SUFFIX = "listening";


    private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);
    private static final int WAIT_MILLIS = 250;
    /** How often the other listeners are counted; the count also proves the connection alive. */
    private static final long CENSUS_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** PostgreSQL keeps at most 63 bytes of an application name. */
    private static final int MAX_APPLICATION_NAME = 63;

    private final ConnectionFactory connections;
    private final SchemaName schema;
    private final AppendSignal signal;
    private final CommitWatermark watermark;
    private final OtherListeners otherListeners;
    private final String payloadPrefix;
    private final String applicationName;
    private final Duration reconnectDelay;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean connected;
    /** The backend of the current LISTEN connection; touched only by the listener's thread. */
    private int ownBackendPid;

    NotificationListener(ConnectionFactory connections, SchemaName schema, AppendSignal signal,
                         CommitWatermark watermark, OtherListeners otherListeners, Duration reconnectDelay) {
        this.connections = connections;
        this.otherListeners = otherListeners;
        this.schema = schema;
        this.signal = signal;
        this.watermark = watermark;
        this.payloadPrefix = schema.value() + ":";
        String name = "annals-listener-" + schema.value();
        this.applicationName = name.length() > MAX_APPLICATION_NAME ? name.substring(0, MAX_APPLICATION_NAME) : name;
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
                ownBackendPid = connection.unwrap(PGConnection.class).getBackendPID();
                announceArrival(connection);
                connected = true;
                if (failing) {
                    log.info("listening for appends to schema {} again", schema);
                    failing = false;
                }
                signal.signal();
                listen(connection);
            } catch (SQLException | RuntimeException e) {
                connected = false;
                otherListeners.set(true);
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
        otherListeners.set(true);
    }

    /**
     * Names this connection as the schema's listener, the name the other processes count, and
     * tells the other listeners of the schema at once that one more process listens now.
     */
    private void announceArrival(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT set_config('application_name', ?, false), pg_notify('" + CHANNEL + "', ?)")) {
            statement.setString(1, applicationName);
            statement.setString(2, payloadPrefix + ARRIVAL_SUFFIX);
            statement.execute();
        }
    }

    /** Counts the schema's listeners on the server other than this one; also proves the connection alive. */
    private void countOtherListeners(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = ? AND pid <> pg_backend_pid())")) {
            statement.setString(1, applicationName);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                otherListeners.set(row.getBoolean(1));
            }
        }
    }

    private void listen(Connection connection) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        countOtherListeners(connection);
        long lastCount = System.nanoTime();
        while (isOpen()) {
            PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
            if (notifications != null && notifications.length > 0) {
                boolean news = false;
                for (PGNotification notification : notifications) {
                    news |= accept(notification);
                }
                if (news) {
                    signal.signal();
                }
            }
            // also how a server that vanished without closing the socket is noticed
            if (System.nanoTime() - lastCount > CENSUS_NANOS) {
                countOtherListeners(connection);
                lastCount = System.nanoTime();
            }
        }
    }

    /**
     * Payload {@code schema:stamp}; true when it announces commits this process did not know of.
     * Another schema's notification is ignored, and so is the echo of this process's own appends,
     * whose commits already woke the subscriptions. Payload {@code schema:listening} is another
     * process's listener starting (or this one's own echo).
     */
    private boolean accept(PGNotification notification) {
        String payload = notification.getParameter();
        if (payload == null || !payload.startsWith(payloadPrefix)) {
            return false;
        }
        if (payload.endsWith(ARRIVAL_SUFFIX)) {
            if (notification.getPID() != ownBackendPid) {
                otherListeners.set(true);
            }
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
