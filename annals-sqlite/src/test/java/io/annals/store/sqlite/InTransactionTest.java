package io.annals.store.sqlite;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import io.annals.store.StreamState;
import io.annals.store.jdbc.JdbcTransaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A projection's read model and checkpoint in the store's file, committed with the events or not at all. */
class InTransactionTest {

    @TempDir
    Path directory;

    private SqliteEventStore store;

    @BeforeEach
    void open() throws SQLException {
        store = SqliteEventStore.open(directory.resolve("tx.db"));
        store.inTransaction(tx -> {
            try (Statement statement = tx.connection().createStatement()) {
                statement.execute("CREATE TABLE order_totals (order_id TEXT PRIMARY KEY, total INTEGER NOT NULL)");
                statement.execute("CREATE TABLE checkpoints (projection TEXT PRIMARY KEY, position TEXT NOT NULL)");
            }
            return null;
        });
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aProjectionUpdateAndItsCheckpointCommitWithTheAppendAndSurviveAReopen() throws SQLException {
        StreamId order = StreamId.of("order-1");
        var appended = store.inTransaction(tx -> {
            var result = tx.append(order, ExpectedVersion.noStream(), List.of(EventData.of("OrderPlaced", "{\"total\":42}")));
            project(tx, "order-1", 42, result.position());
            return result;
        });

        store.close();
        store = SqliteEventStore.open(directory.resolve("tx.db"));
        assertThat(store.readStream(order, 0, ReadDirection.FORWARD, 10)).hasSize(1);
        assertThat(total("order-1")).isEqualTo(42);
        assertThat(checkpoint()).isEqualTo(appended.position().toString());
    }

    @Test
    void whenTheProjectionFailsNeitherTheEventsNorTheReadModelNorTheCheckpointAreWritten() throws SQLException {
        StreamId order = StreamId.of("order-2");
        assertThatThrownBy(() -> store.inTransaction(tx -> {
            var result = tx.append(order, ExpectedVersion.noStream(), List.of(EventData.of("OrderPlaced", "{\"total\":7}")));
            project(tx, "order-2", 7, result.position());
            // a second insert of the same key fails inside SQLite
            project(tx, "order-2", 8, result.position());
            return result;
        })).isInstanceOf(io.annals.store.jdbc.JdbcWorkException.class).hasMessageContaining("rolled back").hasMessageContaining("UNIQUE");

        assertThat(store.streamState(order)).isEqualTo(StreamState.absent());
        assertThat(store.readAll(Position.START, 10)).isEmpty();
        assertThat(total("order-2")).isNull();
        assertThat(checkpoint()).isNull();
        // the rolled-back append left nothing behind: positions restart at 1
        assertThat(store.append(order, ExpectedVersion.noStream(), List.of(EventData.of("OrderPlaced", "{}"))).position())
                .isEqualTo(Position.of(1));
    }

    @Test
    void theConnectionRefusesToEndTheTransactionAndExpiresAfterTheCallback() throws SQLException {
        var leaked = new AtomicReference<Connection>();
        var leakedTx = new AtomicReference<JdbcTransaction>();
        store.inTransaction(tx -> {
            Connection connection = tx.connection();
            assertThatThrownBy(connection::commit).isInstanceOf(IllegalStateException.class).hasMessageContaining("commit");
            assertThatThrownBy(connection::rollback).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(connection::close).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> connection.setAutoCommit(true)).isInstanceOf(IllegalStateException.class);
            leaked.set(connection);
            leakedTx.set(tx);
            return null;
        });
        assertThatThrownBy(() -> leaked.get().createStatement()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ended");
        assertThatThrownBy(() -> leakedTx.get().append(StreamId.of("late-1"), ExpectedVersion.any(),
                List.of(EventData.of("Late", "{}")))).isInstanceOf(IllegalStateException.class);
        assertThat(store.streamState(StreamId.of("late-1"))).isEqualTo(StreamState.absent());
    }

    @Test
    void theStoresOwnWriteMethodsAreRefusedInsideTheCallbackInsteadOfDeadlocking() {
        assertThatThrownBy(() -> store.inTransaction(tx ->
                store.append(StreamId.of("inner-1"), ExpectedVersion.any(), List.of(EventData.of("Inner", "{}")))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("JdbcTransaction");
        assertThat(store.streamState(StreamId.of("inner-1"))).isEqualTo(StreamState.absent());
    }

    private static void project(JdbcTransaction tx, String orderId, int total, Position position) throws SQLException {
        try (PreparedStatement insert = tx.connection().prepareStatement("INSERT INTO order_totals (order_id, total) VALUES (?, ?)");
             PreparedStatement checkpoint = tx.connection().prepareStatement(
                     "INSERT INTO checkpoints (projection, position) VALUES ('totals', ?) "
                             + "ON CONFLICT (projection) DO UPDATE SET position = excluded.position")) {
            insert.setString(1, orderId);
            insert.setInt(2, total);
            insert.executeUpdate();
            checkpoint.setString(1, position.toString());
            checkpoint.executeUpdate();
        }
    }

    private Integer total(String orderId) throws SQLException {
        return store.inTransaction(tx -> {
            try (PreparedStatement select = tx.connection().prepareStatement("SELECT total FROM order_totals WHERE order_id = ?")) {
                select.setString(1, orderId);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? rows.getInt(1) : null;
                }
            }
        });
    }

    private String checkpoint() throws SQLException {
        return store.inTransaction(tx -> {
            try (Statement select = tx.connection().createStatement();
                 ResultSet rows = select.executeQuery("SELECT position FROM checkpoints WHERE projection = 'totals'")) {
                return rows.next() ? rows.getString(1) : null;
            }
        });
    }
}
