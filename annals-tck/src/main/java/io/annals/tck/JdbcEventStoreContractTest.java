package io.annals.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.AppendResult;
import io.annals.store.EventFilter;
import io.annals.store.EventStore;
import io.annals.store.EventStoreClosedException;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import io.annals.store.StreamState;
import io.annals.store.Subscription;
import io.annals.store.WrongExpectedVersionException;
import io.annals.store.jdbc.JdbcEventStore;
import io.annals.store.jdbc.JdbcWorkException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The contract of stores that commit the caller's own SQL together with appends. Extends the
 * plain store contract, so a JDBC store runs everything by extending this one class.
 */
public abstract class JdbcEventStoreContractTest extends EventStoreContractTest {

    @Override
    protected abstract JdbcEventStore createStore();

    @Override
    protected abstract JdbcEventStore reopenStore(EventStore closed);

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

    private List<String> values(String table) {
        return jdbcStore().inTransaction(tx -> {
            var values = new ArrayList<String>();
            try (PreparedStatement statement = tx.connection().prepareStatement("SELECT val FROM " + table);
                 ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    values.add(result.getString(1));
                }
            }
            return values;
        });
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
        insert(connection, table, id, "v");
    }

    private static void insert(java.sql.Connection connection, String table, String id, String value) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + table + " (id, val) VALUES (?, ?)")) {
            statement.setString(1, id);
            statement.setString(2, value);
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

    @Test
    void aClosedStoreRefusesTransactionsAsClosed() {
        store.close();
        assertThatThrownBy(() -> jdbcStore().inTransaction(tx -> null)).isInstanceOf(EventStoreClosedException.class);
        assertThatThrownBy(() -> jdbcStore().read(connection -> null)).isInstanceOf(EventStoreClosedException.class);
    }

    // ---- the caller's own queries ----

    private List<String> readValues(String table) {
        return jdbcStore().read(connection -> {
            var values = new ArrayList<String>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT val FROM " + table + " ORDER BY id");
                 ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    values.add(result.getString(1));
                }
            }
            return values;
        });
    }

    @Test
    void theCallersQueriesSeeWhatWasCommittedAndNothingOfATransactionStillOpen() {
        String table = readModelTable();
        jdbcStore().inTransaction(tx -> {
            insert(tx.connection(), table, "a", "committed");
            return null;
        });
        assertThat(readValues(table)).containsExactly("committed");

        // a read made while a transaction is open neither waits for it nor sees its writes
        List<String> during = jdbcStore().inTransaction(tx -> {
            insert(tx.connection(), table, "b", "open");
            return readValues(table);
        });
        assertThat(during).containsExactly("committed");
        assertThat(readValues(table)).containsExactly("committed", "open");
    }

    @Test
    void aWriteOrAFailingQueryInAReadIsReportedAsJdbcWorkAndChangesNothing() {
        String table = readModelTable();
        assertThatThrownBy(() -> jdbcStore().read(connection -> {
            insert(connection, table, "sneaked", "in");
            return null;
        })).isInstanceOf(JdbcWorkException.class);
        assertThatThrownBy(() -> jdbcStore().read(connection -> {
            try (var statement = connection.createStatement()) {
                return statement.execute("SELECT no_such_column FROM " + table);
            }
        })).isInstanceOf(JdbcWorkException.class);
        assertThat(readValues(table)).isEmpty();
        assertThat(jdbcStore().<Integer>read(connection -> 42)).isEqualTo(42);
    }

    @Test
    void readersAndSubscribersSeeATransactionsEventsOnlyOnceItCommits() {
        StreamId id = stream("uncommitted");
        EventFilter filter = EventFilter.streamPrefix(id.value());
        List<EventData> batch = events(2);
        var live = new CopyOnWriteArrayList<RecordedEvent>();
        try (Subscription subscription = store.subscribeToAll(Position.START, filter, live::add)) {
            eventually().until(subscription::isLive);
            jdbcStore().inTransaction(tx -> {
                tx.append(id, ExpectedVersion.noStream(), batch);
                // a subscription that has caught up while the transaction is open has read everything readable
                var during = new CopyOnWriteArrayList<RecordedEvent>();
                try (Subscription caughtUp = store.subscribeToAll(Position.START, filter, during::add)) {
                    eventually().until(caughtUp::isLive);
                }
                assertThat(during).isEmpty();
                assertThat(store.readAll(Position.START, 10, filter)).isEmpty();
                assertThat(store.readStream(id, 0, ReadDirection.FORWARD, 10)).isEmpty();
                assertThat(store.streamState(id)).isEqualTo(StreamState.absent());
                assertThat(live).isEmpty();
                return null;
            });
            eventually().until(() -> live.size() >= 2);
        }
        assertThat(ids(live)).isEqualTo(dataIds(batch));
    }

    @Test
    void aRolledBackTransactionLeavesNothingForReadersOrSubscribersAndNoHoleInTheOrder() {
        String prefix = stream("rollback").value();
        StreamId rolledBack = StreamId.of(prefix + "-gone");
        StreamId marker = StreamId.of(prefix + "-marker");
        AppendResult before = store.append(marker, ExpectedVersion.noStream(), events(1));
        var live = new CopyOnWriteArrayList<RecordedEvent>();
        try (Subscription subscription = store.subscribeToAll(before.position(), EventFilter.streamPrefix(prefix), live::add)) {
            eventually().until(subscription::isLive);
            assertThatThrownBy(() -> jdbcStore().inTransaction(tx -> {
                tx.append(rolledBack, ExpectedVersion.noStream(), events(3));
                tx.append(marker, ExpectedVersion.exact(0), events(1));
                throw new IllegalStateException("rolled back on purpose");
            })).hasMessageContaining("on purpose");
            List<EventData> after = events(1);
            AppendResult next = store.append(marker, ExpectedVersion.exact(0), after);
            eventually().until(() -> !live.isEmpty());
            // what the rolled-back transaction wrote would have come before the marker
            assertThat(ids(live)).isEqualTo(dataIds(after));
            if (densePositions()) {
                assertThat(next.position()).isEqualTo(Position.of(before.position().sequence() + 1));
            }
        }
        assertThat(store.streamState(rolledBack)).isEqualTo(StreamState.absent());
        assertThat(readForward(rolledBack)).isEmpty();
        assertThat(readAllVisible(EventFilter.streamPrefix(prefix), 2)).extracting(RecordedEvent::streamId)
                .containsExactly(marker, marker);
    }

    /**
     * Transactions (a quarter of them rolled back) and plain appends from concurrent writers, on
     * streams of their own and one they share: a subscription that was live all along and a read
     * from the start afterwards see the same order, which holds every committed event once and
     * nothing rolled back, and each transaction's own row is there exactly when its events are.
     */
    @Test
    void transactionsMixedWithConcurrentPlainAppendsMakeOneOrderThatEveryReaderSeesWhole() throws Exception {
        String table = readModelTable();
        String prefix = stream("mixed").value();
        StreamId shared = StreamId.of(prefix + "-shared");
        var committed = ConcurrentHashMap.<UUID>newKeySet();
        var rolledBack = ConcurrentHashMap.<UUID>newKeySet();
        var transactionRows = new ConcurrentHashMap<String, UUID>();
        var live = new CopyOnWriteArrayList<RecordedEvent>();
        try (Subscription subscription = store.subscribeToAll(Position.START, EventFilter.streamPrefix(prefix), live::add)) {
            eventually().until(subscription::isLive);
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                var start = new CountDownLatch(1);
                var futures = new ArrayList<Future<?>>();
                for (int w = 0; w < 3; w++) {
                    StreamId own = StreamId.of(prefix + "-tx" + w);
                    String writer = "tx" + w;
                    futures.add(executor.submit(() -> {
                        start.await();
                        long version = -1;
                        for (int i = 0; i < 12; i++) {
                            List<EventData> mine = events(1 + i % 3);
                            List<EventData> ours = events(1);
                            boolean rollBack = i % 4 == 3;
                            long expected = version;
                            String row = writer + "-" + i;
                            try {
                                version = jdbcStore().inTransaction(tx -> {
                                    AppendResult result = tx.append(own, ExpectedVersion.after(expected), mine);
                                    tx.append(shared, ExpectedVersion.any(), ours);
                                    insert(tx.connection(), table, row, ours.getFirst().eventId().toString());
                                    if (rollBack) {
                                        throw new IllegalStateException("rolled back on purpose");
                                    }
                                    return result;
                                }).nextExpectedVersion();
                                committed.addAll(dataIds(mine));
                                committed.addAll(dataIds(ours));
                                transactionRows.put(row, ours.getFirst().eventId());
                            } catch (IllegalStateException e) {
                                assertThat(rollBack).as(e.toString()).isTrue();
                                rolledBack.addAll(dataIds(mine));
                                rolledBack.addAll(dataIds(ours));
                            }
                        }
                        return null;
                    }));
                }
                for (int w = 0; w < 3; w++) {
                    StreamId own = StreamId.of(prefix + "-plain" + w);
                    futures.add(executor.submit(() -> {
                        start.await();
                        for (int i = 0; i < 25; i++) {
                            List<EventData> mine = events(1);
                            store.append(own, ExpectedVersion.after(i - 1L), mine);
                            committed.addAll(dataIds(mine));
                            if (i % 5 == 0) {
                                List<EventData> ours = events(1);
                                store.append(shared, ExpectedVersion.any(), ours);
                                committed.addAll(dataIds(ours));
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> future : futures) {
                    future.get();
                }
            }
            eventually().atMost(Duration.ofSeconds(30)).until(() -> live.size() >= committed.size());
        }
        List<RecordedEvent> all = readAllVisible(EventFilter.streamPrefix(prefix), committed.size());
        assertThat(ids(live)).as("the live subscription and a read from the start").isEqualTo(ids(all));
        assertThat(all).hasSize(committed.size());
        assertThat(new HashSet<>(ids(all))).isEqualTo(committed).doesNotContainAnyElementsOf(rolledBack);
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).position()).isGreaterThan(all.get(i - 1).position());
        }
        if (densePositions()) {
            assertThat(all).extracting(RecordedEvent::position).containsExactlyElementsOf(
                    IntStream.rangeClosed(1, all.size()).mapToObj(Position::of).toList());
        }
        for (StreamId id : all.stream().map(RecordedEvent::streamId).distinct().toList()) {
            List<RecordedEvent> inOrder = all.stream().filter(e -> e.streamId().equals(id)).toList();
            assertThat(inOrder).extracting(RecordedEvent::version)
                    .containsExactlyElementsOf(LongStream.range(0, inOrder.size()).boxed().toList());
            assertThat(readForward(id)).isEqualTo(inOrder);
        }
        assertThat(values(table)).containsExactlyInAnyOrderElementsOf(
                transactionRows.values().stream().map(UUID::toString).toList());
    }
}
