package io.annals.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.event.StreamId;
import io.annals.store.AppendResult;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import io.annals.store.WrongExpectedVersionException;
import io.annals.store.jdbc.JdbcEventStore;
import io.annals.store.jdbc.JdbcWorkException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The contract of stores that commit the caller's own SQL together with appends. Extends the
 * plain store contract, so a JDBC store runs everything by extending this one class.
 */
public abstract class JdbcEventStoreContractTest extends EventStoreContractTest {

    @Override
    protected abstract JdbcEventStore createStore();

    private JdbcEventStore jdbcStore() {
        return (JdbcEventStore) store;
    }

    private String readModelTable() {
        String table = "tck_read_model_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        jdbcStore().inTransaction(tx -> {
            try (var statement = tx.connection().createStatement()) {
                statement.execute("CREATE TABLE " + table + " (id VARCHAR(100) PRIMARY KEY, val VARCHAR(100) NOT NULL)");
            }
            return null;
        });
        return table;
    }

    private int rows(String table) {
        return jdbcStore().inTransaction(tx -> {
            try (PreparedStatement statement = tx.connection().prepareStatement("SELECT COUNT(*) FROM " + table);
                 ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        });
    }

    private static void insert(java.sql.Connection connection, String table, String id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + table + " (id, val) VALUES (?, ?)")) {
            statement.setString(1, id);
            statement.setString(2, "v");
            statement.executeUpdate();
        }
    }

    @Test
    void theCallersWritesCommitTogetherWithTheAppend() {
        String table = readModelTable();
        StreamId id = stream("together");

        AppendResult result = jdbcStore().inTransaction(tx -> {
            AppendResult appended = tx.append(id, ExpectedVersion.noStream(), events(2));
            insert(tx.connection(), table, "row-1");
            return appended;
        });

        assertThat(result.nextExpectedVersion()).isEqualTo(1);
        assertThat(store.readStream(id, 0, ReadDirection.FORWARD, 10)).hasSize(2);
        assertThat(rows(table)).isEqualTo(1);
    }

    @Test
    void aFailureAfterTheAppendRollsBackBothTheAppendAndTheCallersWrites() {
        String table = readModelTable();
        StreamId id = stream("rolled-back");

        assertThatThrownBy(() -> jdbcStore().inTransaction(tx -> {
            tx.append(id, ExpectedVersion.noStream(), events(2));
            insert(tx.connection(), table, "row-1");
            throw new IllegalStateException("projection failed");
        })).hasMessageContaining("projection failed");

        assertThat(store.readStream(id, 0, ReadDirection.FORWARD, 10)).isEmpty();
        assertThat(rows(table)).isZero();
        // the stream is still new: nothing of the rolled-back append is left behind
        assertThat(store.append(id, ExpectedVersion.noStream(), events(1)).nextExpectedVersion()).isZero();
    }

    @Test
    void aConflictInsideTheTransactionRollsBackTheCallersWrites() {
        String table = readModelTable();
        StreamId id = stream("conflicted");
        store.append(id, ExpectedVersion.noStream(), events(1));

        assertThatThrownBy(() -> jdbcStore().inTransaction(tx -> {
            insert(tx.connection(), table, "row-1");
            return tx.append(id, ExpectedVersion.noStream(), events(1));
        })).isInstanceOf(WrongExpectedVersionException.class);

        assertThat(rows(table)).isZero();
        assertThat(store.readStream(id, 0, ReadDirection.FORWARD, 10)).hasSize(1);
    }

    @Test
    void aFailingStatementOfTheCallerIsReportedAsJdbcWorkAndRollsBackTheAppend() {
        StreamId id = stream("bad-sql");

        assertThatThrownBy(() -> jdbcStore().inTransaction(tx -> {
            tx.append(id, ExpectedVersion.noStream(), events(1));
            try (var statement = tx.connection().createStatement()) {
                statement.execute("SELECT * FROM tck_no_such_table");
            }
            return null;
        })).isInstanceOf(JdbcWorkException.class).hasCauseInstanceOf(SQLException.class);

        assertThat(store.readStream(id, 0, ReadDirection.FORWARD, 10)).isEmpty();
    }

    @Test
    void severalAppendsInOneTransactionAreAtomic() {
        StreamId left = stream("left-tx");
        StreamId right = stream("right-tx");
        jdbcStore().inTransaction(tx -> {
            tx.append(left, ExpectedVersion.noStream(), events(1));
            tx.append(right, ExpectedVersion.noStream(), events(1));
            return null;
        });
        assertThat(store.readStream(left, 0, ReadDirection.FORWARD, 10)).hasSize(1);
        assertThat(store.readStream(right, 0, ReadDirection.FORWARD, 10)).hasSize(1);

        assertThatThrownBy(() -> jdbcStore().inTransaction(tx -> {
            tx.append(left, ExpectedVersion.exact(0), events(1));
            return tx.append(right, ExpectedVersion.exact(5), events(1));
        })).isInstanceOf(WrongExpectedVersionException.class);
        assertThat(store.readStream(left, 0, ReadDirection.FORWARD, 10)).hasSize(1);
    }
}
