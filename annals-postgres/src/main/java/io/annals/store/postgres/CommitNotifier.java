package io.annals.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells other processes that events were committed: a NOTIFY on the fixed channel with payload
 * {@code schema:stamp}, sent right after the commit in a transaction of its own. Commits that
 * happen while a notification is on its way are announced together by the next one (with the
 * highest stamp), so there is at most one notification per append, usually fewer under load.
 *
 * <p>Why not NOTIFY inside the append's transaction: PostgreSQL serialises the commits of all
 * transactions that notify (a database-wide lock held through the commit's WAL flush), which
 * defeats group commit and caps concurrent appends at one commit at a time. A notification sent
 * here commits on its own, asynchronously. If the process dies between
 * the commit and the notification, readers elsewhere see the events at their next poll.
 * The notification's own transaction commits without waiting for a WAL flush.
 */
final class CommitNotifier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CommitNotifier.class);

    private final DataSource dataSource;
    private final OtherListeners otherListeners;
    private final String payloadPrefix;
    /**
     * NOTIFY gives its transaction an id, so its commit would wait for a WAL flush like an
     * append's; a notification needs no durability, so this one commits asynchronously
     * (the setting is local to the statement's own transaction and never leaks into the pool).
     */
    private final String sql = "SELECT set_config('synchronous_commit', 'off', true), pg_notify('"
            + NotificationListener.CHANNEL + "', ?)";
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread thread;
    private long highestStamp;
    private boolean pending;
    private boolean closed;

    CommitNotifier(DataSource dataSource, SchemaName schema, OtherListeners otherListeners) {
        this.dataSource = dataSource;
        this.otherListeners = otherListeners;
        this.payloadPrefix = schema.value() + ":";
        this.thread = Thread.ofPlatform().daemon().name("annals-pg-notifier-" + schema).unstarted(this::run);
    }

    /** The payload of a notification is this prefix followed by the highest committed stamp. */
    String payloadPrefix() {
        return payloadPrefix;
    }

    void start() {
        thread.start();
    }

    /** Whether an append should notify at all: only when another process listens. */
    boolean othersListening() {
        return otherListeners.present();
    }

    void committed(long stamp) {
        if (!otherListeners.present()) {
            return;
        }
        lock.lock();
        try {
            highestStamp = Math.max(highestStamp, stamp);
            pending = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            long stamp;
            lock.lock();
            try {
                while (!pending && !closed) {
                    changed.awaitUninterruptibly();
                }
                if (closed && !pending) {
                    return;
                }
                stamp = highestStamp;
                pending = false;
            } finally {
                lock.unlock();
            }
            send(stamp);
        }
    }

    private void send(long stamp) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, payloadPrefix + stamp);
            statement.execute();
        } catch (SQLException | RuntimeException e) {
            log.debug("could not send the append notification ({}); other processes will poll", e.getMessage());
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
