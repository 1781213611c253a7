package io.annals.projection;

import io.annals.event.RecordedEvent;
import io.annals.store.jdbc.JdbcEventStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Runs a side effect at most once per event and consumer: the event's id is recorded in
 * {@code processed_events} in the same transaction as the effect's own writes, before the effect
 * runs. An event delivered again (after a restart, a rebuild, a redelivery from a broker) finds its
 * record and is skipped; two deliveries at once serialise on the record's key, and the second
 * skips. An effect outside the database that fails rolls the record back, so it is tried again:
 * at least once outside, exactly once inside. Records older than the retention are deleted; an
 * event redelivered after that would run again, so keep the retention longer than any replay.
 */
public final class IdempotentEventHandler {

    /** The side effect; its writes on {@code connection} commit with the processed record. */
    @FunctionalInterface
    public interface Effect {
        void handle(RecordedEvent event, Connection connection) throws Exception;
    }

    private static final Pattern CONSUMER = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private final JdbcEventStore store;
    private final String consumer;
    private final Duration retention;
    private final Effect effect;
    private final Clock clock;
    private final String table;
    private volatile long lastPurgeMillis;

    public IdempotentEventHandler(JdbcEventStore store, String consumer, Duration retention, Effect effect) {
        this(store, consumer, retention, effect, Clock.systemUTC());
    }

    IdempotentEventHandler(JdbcEventStore store, String consumer, Duration retention, Effect effect, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        if (consumer == null || !CONSUMER.matcher(consumer).matches()) {
            throw new IllegalArgumentException("a consumer name is 1 to 100 letters, digits, '-', '_' or '.'");
        }
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive");
        }
        this.consumer = consumer;
        this.retention = retention;
        this.effect = Objects.requireNonNull(effect, "effect");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.table = store.tableName("processed_events");
        this.lastPurgeMillis = clock.millis();
    }

    /** Runs the effect in a transaction of its own; false when the event was processed before. */
    public boolean handle(RecordedEvent event) {
        boolean ran = store.inTransaction(tx -> handle(event, tx.connection()));
        purgeWhenDue();
        return ran;
    }

    /** Runs the effect in the caller's transaction; false when the event was processed before. */
    public boolean handle(RecordedEvent event, Connection connection) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (consumer, event_id, processed_at) VALUES (?, ?, ?) ON CONFLICT (consumer, event_id) DO NOTHING")) {
            insert.setString(1, consumer);
            insert.setString(2, event.eventId().toString());
            insert.setLong(3, clock.millis());
            if (insert.executeUpdate() == 0) {
                return false;
            }
        }
        try {
            effect.handle(event, connection);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ProjectionFailures.HandlerFailed(e);
        }
        return true;
    }

    public boolean processed(UUID eventId) {
        return store.inTransaction(tx -> {
            try (PreparedStatement select = tx.connection().prepareStatement("SELECT 1 FROM " + table
                    + " WHERE consumer = ? AND event_id = ?")) {
                select.setString(1, consumer);
                select.setString(2, eventId.toString());
                try (ResultSet row = select.executeQuery()) {
                    return row.next();
                }
            }
        });
    }

    /** Deletes the records older than the retention; returns how many. */
    public long purge() {
        long cutoff = clock.millis() - retention.toMillis();
        lastPurgeMillis = clock.millis();
        return store.inTransaction(tx -> {
            try (PreparedStatement delete = tx.connection().prepareStatement("DELETE FROM " + table
                    + " WHERE consumer = ? AND processed_at < ?")) {
                delete.setString(1, consumer);
                delete.setLong(2, cutoff);
                return (long) delete.executeUpdate();
            }
        });
    }

    private void purgeWhenDue() {
        if (clock.millis() - lastPurgeMillis >= retention.toMillis() / 10) {
            purge();
        }
    }

    /**
     * The handler as a projection run by a {@link ProjectionRuntime}: the processed record, the
     * effect's writes and the checkpoint commit together.
     */
    public Projection asProjection(Selection selection) {
        Objects.requireNonNull(selection, "selection");
        return new Projection() {
            @Override
            public String name() {
                return consumer;
            }

            @Override
            public Selection selection() {
                return selection;
            }

            @Override
            public void apply(RecordedEvent event, ReadModel model) throws SQLException {
                handle(event, model.connection());
            }
        };
    }
}
