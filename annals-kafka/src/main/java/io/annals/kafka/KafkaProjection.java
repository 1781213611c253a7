package io.annals.kafka;

import io.annals.event.RecordedEvent;
import io.annals.projection.Projection;
import io.annals.projection.ProjectionTables;
import io.annals.projection.ReadModel;
import io.annals.store.jdbc.JdbcEventStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * A {@link Projection} fed from Kafka topics through a consumer group instead of from the store,
 * so that the members of the group (one per node) share its partitions. Each poll's events of a
 * partition are applied in one transaction of the read model's database together with the
 * partition's next offset, kept in {@code projection_kafka_offsets} beside the read model; a
 * member given a partition seeks to the stored offset. Each event's effect therefore lands once,
 * whichever member applied it, across rebalances and crashes.
 *
 * <pre>{@code
 * var consumer = KafkaEventConsumer.start(KafkaConsumerConfig.of("kafka:9092", "user-directory",
 *         List.of("user"), KafkaProjection.of(store, new UserDirectory())));
 * }</pre>
 *
 * <p>The projection is the one the {@code ProjectionRuntime} runs from the store: same tables
 * (under generation names, read through views), same {@code apply} and {@code applyBatch}. A
 * failing batch is applied again event by event; an event that keeps failing goes to the topic's
 * dead-letter topic (see {@link KafkaEventConsumer}). The offset row of a partition is written
 * only if it still holds what this member last saw there, so a member that lost the partition
 * during a rebalance while it was busy cannot commit the events a second time
 * ({@link OffsetConflictException}).
 */
public final class KafkaProjection implements BatchHandler {

    private final JdbcEventStore store;
    private final ProjectionTables tables;
    private final String offsets;
    /** The next offset this member last read or wrote per partition: the value its next write expects. */
    private final Map<TopicPartition, Long> seen = new ConcurrentHashMap<>();

    private KafkaProjection(JdbcEventStore store, ProjectionTables tables) {
        this.store = store;
        this.tables = tables;
        this.offsets = store.tableName("projection_kafka_offsets");
    }

    /**
     * Creates the projection's tables and views and the offsets table when they are missing. The
     * store's database (PostgreSQL or SQLite) holds the read model; the store's events are not read.
     */
    public static KafkaProjection of(JdbcEventStore store, Projection projection) {
        Objects.requireNonNull(store, "store");
        ProjectionTables tables = ProjectionTables.register(store, projection);
        var created = new KafkaProjection(store, tables);
        store.inTransaction(tx -> {
            try (Statement statement = tx.connection().createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + created.offsets + " ("
                        + "projection TEXT NOT NULL, topic TEXT NOT NULL, kafka_partition INTEGER NOT NULL,"
                        + " next_offset BIGINT NOT NULL, PRIMARY KEY (projection, topic, kafka_partition))");
            }
            return null;
        });
        return created;
    }

    public Projection projection() {
        return tables.projection();
    }

    @Override
    public boolean accepts(RecordedEvent event) {
        return tables.projection().selection().matches(event);
    }

    @Override
    public boolean allOrNothing() {
        return true;
    }

    @Override
    public void handle(TopicPartition partition, List<RecordedEvent> events, long nextOffset) throws Exception {
        try {
            store.inTransaction(tx -> {
                ReadModel model = tables.readModel(tx);
                try {
                    if (events.size() == 1) {
                        tables.projection().apply(events.getFirst(), model);
                    } else if (!events.isEmpty()) {
                        tables.projection().applyBatch(events, model);
                    }
                } catch (SQLException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new HandlerFailed(e);
                }
                move(tx.connection(), partition, nextOffset);
                return null;
            });
        } catch (HandlerFailed e) {
            throw (Exception) e.getCause();
        }
        seen.put(partition, nextOffset);
    }

    @Override
    public Map<TopicPartition, Long> assigned(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> stored = store.read(connection -> {
            var found = new HashMap<TopicPartition, Long>();
            try (PreparedStatement select = connection.prepareStatement("SELECT next_offset FROM " + offsets
                    + " WHERE projection = ? AND topic = ? AND kafka_partition = ?")) {
                for (TopicPartition partition : partitions) {
                    select.setString(1, tables.projection().name());
                    select.setString(2, partition.topic());
                    select.setInt(3, partition.partition());
                    try (ResultSet row = select.executeQuery()) {
                        if (row.next()) {
                            found.put(partition, row.getLong(1));
                        }
                    }
                }
            }
            return found;
        });
        for (TopicPartition partition : partitions) {
            if (stored.containsKey(partition)) {
                seen.put(partition, stored.get(partition));
            } else {
                seen.remove(partition);
            }
        }
        return stored;
    }

    /** Writes the partition's next offset where it still is what this member saw last. */
    private void move(Connection connection, TopicPartition partition, long next) throws SQLException {
        Long expected = seen.get(partition);
        String name = tables.projection().name();
        int changed;
        if (expected == null) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + offsets
                    + " (projection, topic, kafka_partition, next_offset) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (projection, topic, kafka_partition) DO NOTHING")) {
                insert.setString(1, name);
                insert.setString(2, partition.topic());
                insert.setInt(3, partition.partition());
                insert.setLong(4, next);
                changed = insert.executeUpdate();
            }
        } else {
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + offsets + " SET next_offset = ?"
                    + " WHERE projection = ? AND topic = ? AND kafka_partition = ? AND next_offset = ?")) {
                update.setLong(1, next);
                update.setString(2, name);
                update.setString(3, partition.topic());
                update.setInt(4, partition.partition());
                update.setLong(5, expected);
                changed = update.executeUpdate();
            }
        }
        if (changed != 1) {
            throw new OffsetConflictException("projection " + name + ": another consumer has handled " + partition
                    + " since this one last did; going on from its offset");
        }
    }

    /** A checked exception of the projection, carried out of the transaction. */
    private static final class HandlerFailed extends RuntimeException {
        HandlerFailed(Exception cause) {
            super(cause);
        }
    }
}
