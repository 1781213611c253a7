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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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
    /** Where a reader connects on its own, as a query service would: not through the store's writer. */
    private final String readerUrl;

    private StoreUnderTest(JdbcEventStore store, String readerUrl, Runnable cleanup) {
        this.store = store;
        this.readerUrl = readerUrl;
        this.cleanup = cleanup;
    }

    static StoreUnderTest sqlite(Path directory) {
        Path file = directory.resolve("projections.db");
        return new StoreUnderTest(SqliteEventStore.open(file), "jdbc:sqlite:" + file, () -> { });
    }

    static StoreUnderTest postgres(String hint) {
        TestPostgres postgres = TestPostgres.get();
        String schema = postgres.freshSchema(hint);
        return new StoreUnderTest(PostgresEventStore.builder(postgres.jdbcUrl()).schema(schema).build(),
                postgres.jdbcUrl(), () -> postgres.dropSchema(schema));
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
        return expectedTotals(selected, 1);
    }

    /** As {@link #expectedTotals(Function)}, for the version of the projection that counts amounts {@code factor} times. */
    Map<String, List<Long>> expectedTotals(Function<RecordedEvent, Boolean> selected, long factor) {
        var expected = new HashMap<String, List<Long>>();
        for (RecordedEvent event : all()) {
            if (!selected.apply(event)) {
                continue;
            }
            List<Long> row = expected.getOrDefault(event.streamId().value(), List.of(0L, 0L, -1L));
            expected.put(event.streamId().value(), List.of(row.get(0) + Totals.amountOf(event) * factor, row.get(1) + 1,
                    event.version()));
        }
        return expected;
    }

    /** What the totals view shows. */
    Map<String, List<Long>> totals() {
        var rows = new HashMap<String, List<Long>>();
        try (Connection connection = DriverManager.getConnection(readerUrl);
             PreparedStatement select = connection.prepareStatement("SELECT stream_id, total, events, version FROM "
                     + store.tableName("totals"));
             ResultSet result = select.executeQuery()) {
            while (result.next()) {
                rows.put(result.getString(1), List.of(result.getLong(2), result.getLong(3), result.getLong(4)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the totals", e);
        }
        return rows;
    }

    @Override
    public void close() {
        store.close();
        cleanup.run();
    }
}
