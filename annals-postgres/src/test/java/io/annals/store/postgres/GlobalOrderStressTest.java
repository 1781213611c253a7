package io.annals.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.ExpectedVersion;
import io.annals.store.postgres.testing.TestPostgres;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bug every PostgreSQL store has had: a reader that moves past the highest sequence it saw
 * skips an event that commits later with a lower sequence. Many writers with random delays
 * inside their transactions and random rollbacks race catch-up readers; every reader must see
 * exactly the committed events, in one identical order, each stream's versions rising by one.
 */
class GlobalOrderStressTest {

    private static final int WRITERS = 16;
    private static final int TRANSACTIONS_PER_WRITER = 40;
    private static final int READERS = 4;
    private static final int STREAMS = 6;

    private final TestPostgres postgres = TestPostgres.get();
    private final String schema = postgres.freshSchema("order_stress");
    private PostgresEventStore store;

    @BeforeEach
    void open() {
        store = PostgresEventStore.builder(postgres.jdbcUrl()).schema(schema).maxPoolSize(WRITERS + READERS + 4)
                .readYourWritesWait(PostgresStoreFixture.SHARED_SERVER_PATIENCE).build();
    }

    @AfterEach
    void close() {
        store.close();
        postgres.dropSchema(schema);
    }

    @Test
    void everyReaderSeesExactlyTheCommittedEventsInOneOrder() throws Exception {
        Set<UUID> committed = ConcurrentHashMap.newKeySet();
        Set<UUID> rolledBack = ConcurrentHashMap.newKeySet();
        AtomicBoolean reading = new AtomicBoolean(true);
        List<List<RecordedEvent>> seen = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            seen.add(new CopyOnWriteArrayList<>());
        }

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> readers = new ArrayList<>();
            for (List<RecordedEvent> events : seen) {
                readers.add(threads.submit(() -> catchUp(events, reading)));
            }
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                writers.add(threads.submit(() -> write(committed, rolledBack)));
            }
            try {
                for (Future<?> writer : writers) {
                    writer.get();
                }
                // a reader that skipped an event never gets there: it would see fewer than committed
                await().atMost(PostgresStoreFixture.SHARED_SERVER_PATIENCE)
                        .until(() -> seen.stream().allMatch(events -> events.size() >= committed.size()));
            } finally {
                reading.set(false);
            }
            for (Future<?> reader : readers) {
                reader.get();
            }
        }

        assertThat(rolledBack).isNotEmpty();
        List<UUID> reference = ids(seen.getFirst());
        for (List<RecordedEvent> events : seen) {
            List<UUID> ids = ids(events);
            assertThat(ids).doesNotHaveDuplicates();
            assertThat(new HashSet<>(ids)).isEqualTo(committed);
            assertThat(ids).isEqualTo(reference);
            assertVersionsRiseByOne(events);
        }
        assertThat(ids(store.readAll(Position.START, 100_000))).isEqualTo(reference);
    }

    /** Reads forward from the start in random page sizes, like a projection, until told to stop. */
    private void catchUp(List<RecordedEvent> events, AtomicBoolean reading) {
        Position position = Position.START;
        while (reading.get()) {
            List<RecordedEvent> batch = store.readAll(position, 1 + ThreadLocalRandom.current().nextInt(40));
            if (!batch.isEmpty()) {
                events.addAll(batch);
                position = batch.getLast().position();
            }
        }
    }

    private void write(Set<UUID> committed, Set<UUID> rolledBack) {
        var random = ThreadLocalRandom.current();
        for (int t = 0; t < TRANSACTIONS_PER_WRITER; t++) {
            StreamId stream = StreamId.of("stress-" + random.nextInt(STREAMS));
            List<EventData> events = new ArrayList<>();
            for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                events.add(EventData.of("Stressed", "{\"t\":" + t + "}"));
            }
            List<UUID> ids = events.stream().map(EventData::eventId).toList();
            if (random.nextInt(4) == 0) {
                store.append(stream, ExpectedVersion.any(), events);
                committed.addAll(ids);
                continue;
            }
            boolean rollback = random.nextInt(4) == 0;
            boolean takeTransactionIdEarly = random.nextBoolean();
            try {
                store.inTransaction(tx -> {
                    if (takeTransactionIdEarly) {
                        // an id taken before the stream lock is the case where commit order and id order differ
                        execute(tx.connection(), "SELECT pg_current_xact_id()");
                    }
                    pause(tx.connection(), random.nextInt(4));
                    tx.append(stream, ExpectedVersion.any(), events);
                    pause(tx.connection(), random.nextInt(4));
                    if (rollback) {
                        throw new IllegalStateException("rolled back on purpose");
                    }
                    return null;
                });
                committed.addAll(ids);
            } catch (IllegalStateException e) {
                rolledBack.addAll(ids);
            }
        }
    }

    private static void pause(java.sql.Connection connection, int millis) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_sleep(?)")) {
            statement.setDouble(1, millis / 1000.0);
            statement.execute();
        }
    }

    private static void execute(java.sql.Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.execute();
        }
    }

    private static List<UUID> ids(List<RecordedEvent> events) {
        return events.stream().map(RecordedEvent::eventId).toList();
    }

    private static void assertVersionsRiseByOne(List<RecordedEvent> events) {
        Map<StreamId, Long> last = new HashMap<>();
        for (RecordedEvent event : events) {
            long expected = last.getOrDefault(event.streamId(), -1L) + 1;
            assertThat(event.version()).as("version of %s at %s", event.streamId(), event.position()).isEqualTo(expected);
            last.put(event.streamId(), event.version());
        }
    }
}
