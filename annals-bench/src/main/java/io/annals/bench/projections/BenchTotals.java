package io.annals.bench.projections;

import io.annals.event.RecordedEvent;
import io.annals.projection.Projection;
import io.annals.projection.ReadModel;
import io.annals.projection.Selection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's read model: per stream the sum of the amounts and the number of events, written
 * with one batched upsert per transaction (rows of one stream summed first). The raw JDBC baseline
 * writes the same rows the same way.
 */
final class BenchTotals implements Projection {

    static final String TABLE = "bench_totals";

    @Override
    public String name() {
        return "bench-totals";
    }

    @Override
    public Selection selection() {
        return Selection.types(Fill.TYPE);
    }

    @Override
    public List<String> tables() {
        return List.of(TABLE);
    }

    @Override
    public void createTables(ReadModel model) throws SQLException {
        createTable(model.connection(), model.table(TABLE));
    }

    static void createTable(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + table
                    + " (stream_id TEXT PRIMARY KEY, total BIGINT NOT NULL, events BIGINT NOT NULL)");
        }
    }

    @Override
    public void apply(RecordedEvent event, ReadModel model) throws SQLException {
        applyBatch(List.of(event), model);
    }

    @Override
    public void applyBatch(List<RecordedEvent> events, ReadModel model) throws SQLException {
        var sums = new LinkedHashMap<String, long[]>();
        for (RecordedEvent event : events) {
            long[] sum = sums.computeIfAbsent(event.streamId().value(), id -> new long[2]);
            sum[0] += Fill.amountOf(event.data());
            sum[1]++;
        }
        upsert(model.connection(), model.table(TABLE), sums);
    }

    /** One upsert per stream, sent as one JDBC batch. */
    static void upsert(Connection connection, String table, Map<String, long[]> sums) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + table
                + " (stream_id, total, events) VALUES (?, ?, ?) ON CONFLICT (stream_id) DO UPDATE"
                + " SET total = " + table + ".total + excluded.total, events = " + table + ".events + excluded.events")) {
            for (Map.Entry<String, long[]> entry : sums.entrySet()) {
                upsert.setString(1, entry.getKey());
                upsert.setLong(2, entry.getValue()[0]);
                upsert.setLong(3, entry.getValue()[1]);
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }
}
