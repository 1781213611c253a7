package io.annals.projection;

import io.annals.event.EventData;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.event.Position;
import io.annals.store.ExpectedVersion;
import io.annals.store.jdbc.JdbcEventStore;
import io.annals.store.postgres.PostgresEventStore;
import io.annals.store.postgres.testing.TestPostgres;
import io.annals.store.sqlite.SqliteEventStore;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A real store for a test: an SQLite file or a fresh PostgreSQL schema, with helpers to write and read. */
final class StoreUnderTest implements AutoCloseable {

    final JdbcEventStore store;
    private final Runnable cleanup;
    final String kind;

    private StoreUnderTest(String kind, JdbcEventStore store, Runnable cleanup) {
        this.kind = kind;
        this.store = store;
        this.cleanup = cleanup;
    }

    static StoreUnderTest sqlite(Path directory) {
        return new StoreUnderTest("sqlite", SqliteEventStore.open(directory.resolve("projections.db")), () -> { });
    }

    static StoreUnderTest postgres(String hint) {
        TestPostgres postgres = TestPostgres.get();
        String schema = postgres.freshSchema(hint);
        return new StoreUnderTest("postgres", PostgresEventStore.builder(postgres.jdbcUrl()).schema(schema).build(),
                () -> postgres.dropSchema(schema));
    }

    /** Another store on the same database, as a second process would open it (PostgreSQL only). */
    static JdbcEventStore sameDatabase(StoreUnderTest other) {
        var postgres = (PostgresEventStore) other.store;
        return PostgresEventStore.builder(TestPostgres.get().jdbcUrl()).schema(postgres.schema().value()).build();
    }

    void add(String stream, long amount) {
        store.append(StreamId.of(stream), ExpectedVersion.any(), List.of(EventData.of("Added", Totals.amount(amount))));
    }

    List<RecordedEvent> all() {
        var events = new ArrayList<RecordedEvent>();
        Position after = Position.START;
        while (true) {
            List<RecordedEvent> page = store.readAll(after, 1000);
            events.addAll(page);
            if (page.size() < 1000) {
                return events;
            }
            after = page.getLast().position();
        }
    }

    /** The fold of the committed events the totals projection should show: stream -> [total, events, version]. */
    Map<String, List<Long>> expectedTotals(Function<RecordedEvent, Boolean> selected) {
        var expected = new HashMap<String, List<Long>>();
        for (RecordedEvent event : all()) {
            if (!selected.apply(event)) {
                continue;
            }
            List<Long> row = expected.getOrDefault(event.streamId().value(), List.of(0L, 0L, -1L));
            expected.put(event.streamId().value(), List.of(row.get(0) + Totals.amountOf(event), row.get(1) + 1,
                    event.version()));
        }
        return expected;
    }

    /** What the totals view shows. */
    Map<String, List<Long>> totals() {
        return store.inTransaction(tx -> {
            var rows = new HashMap<String, List<Long>>();
            try (PreparedStatement select = tx.connection().prepareStatement("SELECT stream_id, total, events, version FROM "
                    + store.tableName("totals")); ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.put(result.getString(1), List.of(result.getLong(2), result.getLong(3), result.getLong(4)));
                }
            }
            return rows;
        });
    }

    @Override
    public void close() {
        store.close();
        cleanup.run();
    }
}
