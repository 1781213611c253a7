package io.annals.kafka;

import io.annals.event.RecordedEvent;
import io.annals.store.EventHandler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * An idempotent consumer's inbox in PostgreSQL or SQLite: the {@code ce_id} of every event a
 * consumer group has handled, inserted in the same transaction as the handler's effects. A
 * redelivered event finds its id there and changes nothing; a handler that fails rolls back its
 * id with its effects, so the retry runs it again.
 *
 * <p>The table is {@code annals_kafka_inbox} in the connection's schema, created by this module's
 * own Flyway migrations with their own history table, {@code annals_kafka_schema_history}.
 */
public final class JdbcInbox {

    /** Rows per insert statement: two parameters each, well under the limits of both databases. */
    private static final int ROWS_PER_INSERT = 500;
    private static final String CONTAINS =
            "SELECT 1 FROM annals_kafka_inbox WHERE consumer_group = ? AND event_id = ?";

    private final DataSource dataSource;
    private final String group;

    private JdbcInbox(DataSource dataSource, String group) {
        this.dataSource = dataSource;
        this.group = group;
    }

    /** Creates or upgrades the inbox table, then returns the inbox of {@code group}. */
    public static JdbcInbox open(DataSource dataSource, String group) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(group, "group");
        if (group.isBlank()) {
            throw new IllegalArgumentException("group must not be blank");
        }
        Flyway.configure(JdbcInbox.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:io/annals/kafka/inbox/" + dialect(dataSource))
                .table("annals_kafka_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        return new JdbcInbox(dataSource, group);
    }

    /**
     * A consumer handler that runs {@code effects} and records the event in one transaction, and
     * skips an event already recorded.
     */
    public EventHandler handler(JdbcEventHandler effects) {
        Objects.requireNonNull(effects, "effects");
        return event -> handleOnce(List.of(event), Map.of(event.type(), effects));
    }

    /**
     * A consumer's handler with effects per event type ({@code ce_type}; other types are skipped)
     * that takes a poll's events of a partition in one transaction: their inbox rows and the
     * effects of those not recorded before. When one effect throws, the transaction rolls back
     * and the consumer hands over the events one by one, each in a transaction of its own.
     */
    public BatchHandler handlers(Map<String, JdbcEventHandler> effectsByType) {
        return BatchHandler.byType(effectsByType, true, this::handleOnce);
    }

    /** Whether the group has handled the event with this id. */
    public boolean contains(String eventId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(CONTAINS)) {
            select.setString(1, group);
            select.setString(2, eventId);
            try (var rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    private void handleOnce(List<RecordedEvent> events, Map<String, JdbcEventHandler> effects) throws Exception {
        if (events.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Set<String> first = record(connection, events);
                for (RecordedEvent event : events) {
                    if (first.remove(event.eventId().toString())) {
                        effects.get(event.type()).handle(connection, event);
                    }
                }
                connection.commit();
            } catch (Exception e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /** Inserts the events' rows; returns the ids that were not there yet. */
    private Set<String> record(Connection connection, List<RecordedEvent> events) throws SQLException {
        var inserted = new HashSet<String>();
        for (int from = 0; from < events.size(); from += ROWS_PER_INSERT) {
            List<RecordedEvent> rows = events.subList(from, Math.min(events.size(), from + ROWS_PER_INSERT));
            String sql = "INSERT INTO annals_kafka_inbox (consumer_group, event_id) VALUES "
                    + String.join(", ", Collections.nCopies(rows.size(), "(?, ?)"))
                    + " ON CONFLICT DO NOTHING RETURNING event_id";
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                int parameter = 1;
                for (RecordedEvent event : rows) {
                    insert.setString(parameter++, group);
                    insert.setString(parameter++, event.eventId().toString());
                }
                try (ResultSet ids = insert.executeQuery()) {
                    while (ids.next()) {
                        inserted.add(ids.getString(1));
                    }
                }
            }
        }
        return inserted;
    }

    private static String dialect(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("postgres")) {
                return "postgres";
            }
            if (product.contains("sqlite")) {
                return "sqlite";
            }
            throw new IllegalArgumentException("the inbox runs on PostgreSQL or SQLite, not on " + product);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the inbox database: " + e.getMessage(), e);
        }
    }
}
