package io.annals.store.postgres;

import io.annals.event.StreamId;
import io.annals.snapshot.Snapshot;
import io.annals.snapshot.SnapshotStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/** Keeps the latest snapshot of each stream in the store's schema; a lower version never replaces a higher one. */
public final class PostgresSnapshotStore implements SnapshotStore {

    private final DataSource dataSource;
    /** Throws EventStoreClosedException once the store this belongs to is closed; nothing for one on its own. */
    private final Runnable requireOpen;
    private final String loadSql;
    private final String saveSql;

    /** Expects the schema to be migrated, as {@link PostgresEventStoreBuilder#build()} does. */
    public PostgresSnapshotStore(DataSource dataSource, SchemaName schema) {
        this(dataSource, schema, () -> { });
    }

    /** The snapshots of a {@link PostgresEventStore}: open exactly as long as the store is. */
    PostgresSnapshotStore(DataSource dataSource, SchemaName schema, Runnable requireOpen) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.requireOpen = requireOpen;
        String table = schema.qualify("snapshots");
        this.loadSql = "SELECT version, state_type, state, taken_at FROM " + table + " WHERE stream_id = ?";
        this.saveSql = "INSERT INTO " + table + " AS s (stream_id, version, state_type, state, taken_at)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (stream_id) DO UPDATE"
                + " SET version = excluded.version, state_type = excluded.state_type, state = excluded.state,"
                + " taken_at = excluded.taken_at WHERE s.version <= excluded.version";
    }

    /** Migrates {@code schema} and returns a snapshot store on it. */
    public static PostgresSnapshotStore create(DataSource dataSource, SchemaName schema) {
        SchemaMigrations.migrate(dataSource, schema);
        return new PostgresSnapshotStore(dataSource, schema);
    }

    @Override
    public Optional<Snapshot> load(StreamId streamId) {
        Objects.requireNonNull(streamId, "streamId");
        requireOpen.run();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(loadSql)) {
            statement.setString(1, streamId.value());
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Snapshot(streamId, row.getLong(1), row.getString(2), row.getString(3),
                        row.getObject(4, OffsetDateTime.class).toInstant()));
            }
        } catch (SQLException e) {
            throw SqlFailures.unavailable("snapshot of " + streamId + " could not be loaded", e);
        }
    }

    @Override
    public void save(Snapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        requireOpen.run();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(saveSql)) {
            statement.setString(1, snapshot.streamId().value());
            statement.setLong(2, snapshot.version());
            statement.setString(3, snapshot.stateType());
            statement.setString(4, snapshot.state());
            statement.setObject(5, snapshot.takenAt().atOffset(ZoneOffset.UTC));
            statement.executeUpdate();
        } catch (SQLException e) {
            throw SqlFailures.unavailable("snapshot of " + snapshot.streamId() + " could not be saved", e);
        }
    }
}
