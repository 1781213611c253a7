package io.annals.bench.projections;

import io.annals.bench.db.BenchDatabase;
import io.annals.bench.db.PostgresBenchDatabase;
import io.annals.bench.db.SchemaNames;
import io.annals.bench.db.SqliteBenchDatabase;
import io.annals.bench.measure.LatencySamples;
import io.annals.bench.report.CaseResult;
import io.annals.bench.report.Target;
import io.annals.bench.report.Unit;
import io.annals.bench.store.AnnalsStores;
import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.projection.ProjectionOptions;
import io.annals.projection.ProjectionRuntime;
import io.annals.store.EventFilter;
import io.annals.store.ExpectedVersion;
import io.annals.store.Subscription;
import io.annals.store.jdbc.JdbcEventStore;
import io.annals.store.postgres.PostgresEventStore;
import io.annals.store.sqlite.SqliteEventStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The projections benchmark: catch-up throughput of a read model whose checkpoint commits with
 * it, against raw JDBC batched upserts of the same rows on the same database; and the latency from
 * an append to the read model having it, beside a bare subscription's on the same appends.
 */
final class ProjectionsSuite {

    static final String SUITE = "projections";
    static final String RAW_JDBC = "raw-jdbc";
    static final String RAW_READ_WRITE = "raw-read-write";
    static final String SUBSCRIPTION = "subscription";
    private static final int BATCH = 1_000;

    record Settings(long events, int appendsPerSecond, Duration warmup, Duration window) {
    }

    private final BenchDatabase database;
    private final String kind;
    private final PrintWriter progress;

    ProjectionsSuite(BenchDatabase database, PrintWriter progress) {
        this.database = database;
        this.kind = database instanceof PostgresBenchDatabase ? "postgres" : "sqlite";
        this.progress = progress;
    }

    static List<String> caseNames() {
        return List.of("catch-up-postgres", "catch-up-sqlite", "end-to-end-latency-p99-postgres",
                "end-to-end-latency-p99-sqlite");
    }

    List<String> casesOfThisDatabase() {
        return List.of("catch-up-" + kind, "end-to-end-latency-p99-" + kind);
    }

    CaseResult run(String caseName, Settings settings) throws Exception {
        return caseName.startsWith("catch-up") ? catchUp(caseName, settings) : latency(caseName, settings);
    }

    private CaseResult catchUp(String caseName, Settings settings) throws Exception {
        try (var opened = open(caseName)) {
            JdbcEventStore store = opened.store();
            progress.printf("%s: writing %,d events%n", caseName, settings.events());
            progress.flush();
            Fill.write(store, settings.events(), 42);
            analyze(opened);
            List<RecordedEvent> events = readAll(store);

            var committed = new AtomicLong();
            var done = new CountDownLatch(1);
            long annalsNanos;
            try (var runtime = ProjectionRuntime.builder(store).afterCommit(applied -> {
                if (committed.addAndGet(applied.size()) >= events.size()) {
                    done.countDown();
                }
            }).build()) {
                runtime.register(new BenchTotals(), ProjectionOptions.DEFAULTS.withBatchSize(BATCH));
                long start = System.nanoTime();
                runtime.start();
                if (!done.await(30, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("the projection did not catch up");
                }
                annalsNanos = System.nanoTime() - start;
            }
            long rawNanos = rawUpserts(caseName, events);
            long readWriteNanos = rawReadWrite(opened);
            var baselines = new LinkedHashMap<String, Double>();
            baselines.put(RAW_JDBC, perSecond(events.size(), rawNanos));
            baselines.put(RAW_READ_WRITE, perSecond(events.size(), readWriteNanos));
            return new CaseResult(SUITE, caseName, Unit.EVENTS_PER_SECOND, perSecond(events.size(), annalsNanos),
                    baselines, List.of(new Target.AtLeastTimes(RAW_JDBC, 0.5)));
        }
    }

    private static double perSecond(long events, long nanos) {
        return events / (nanos / 1e9);
    }

    private static List<RecordedEvent> readAll(JdbcEventStore store) {
        var events = new ArrayList<RecordedEvent>();
        Position after = Position.START;
        while (true) {
            List<RecordedEvent> page = store.readAll(after, 10_000);
            events.addAll(page);
            if (page.size() < 10_000) {
                return events;
            }
            after = page.getLast().position();
        }
    }

    /** The baseline: the same rows, summed per stream in batches of the projection's size, upserted and committed. */
    private long rawUpserts(String caseName, List<RecordedEvent> events) throws SQLException {
        try (var raw = rawConnection(caseName)) {
            Connection connection = raw.connection();
            BenchTotals.createTable(connection, BenchTotals.TABLE);
            connection.commit();
            long start = System.nanoTime();
            for (int from = 0; from < events.size(); from += BATCH) {
                var sums = new LinkedHashMap<String, long[]>();
                for (RecordedEvent event : events.subList(from, Math.min(events.size(), from + BATCH))) {
                    long[] sum = sums.computeIfAbsent(event.streamId().value(), id -> new long[2]);
                    sum[0] += Fill.amountOf(event.data());
                    sum[1]++;
                }
                BenchTotals.upsert(connection, BenchTotals.TABLE, sums);
                connection.commit();
            }
            return System.nanoTime() - start;
        }
    }

    /**
     * Gives the database statistics of the events just written, as its autovacuum would within a
     * minute: without them PostgreSQL plans a page read as a sort of every remaining row.
     */
    private static void analyze(OpenedStore opened) throws SQLException {
        try (Connection connection = opened.connect().get(); Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE");
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        }
    }

    /**
     * The ceiling: the whole of a catch-up with Annals taken out. Plain JDBC on the store's own
     * database reads the events of the type from its events table in pages of the projection's
     * batch size, sums and upserts them as the projection does, and stores the page's last
     * position in a checkpoint row, each page in one transaction.
     */
    private long rawReadWrite(OpenedStore opened) throws SQLException {
        try (Connection connection = opened.connect().get()) {
            connection.setAutoCommit(false);
            String table = BenchTotals.TABLE + "_raw";
            BenchTotals.createTable(connection, table);
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS bench_checkpoint_raw (name TEXT PRIMARY KEY, position TEXT NOT NULL)");
            }
            connection.commit();
            boolean postgres = database instanceof PostgresBenchDatabase;
            String page = postgres
                    ? "SELECT transaction_id, sequence, stream_id, data FROM events WHERE (transaction_id, sequence) > (?, ?)"
                            + " AND type = ? ORDER BY transaction_id, sequence LIMIT " + BATCH
                    : "SELECT 0, position, stream_id, data FROM events WHERE position > ? AND type = ?"
                            + " ORDER BY position LIMIT " + BATCH;
            long start = System.nanoTime();
            try (var read = connection.prepareStatement(page);
                 var checkpoint = connection.prepareStatement("INSERT INTO bench_checkpoint_raw (name, position) VALUES ('raw', ?)"
                         + " ON CONFLICT (name) DO UPDATE SET position = excluded.position")) {
                long transaction = 0;
                long sequence = 0;
                while (true) {
                    int parameter = 1;
                    if (postgres) {
                        read.setLong(parameter++, transaction);
                    }
                    read.setLong(parameter++, sequence);
                    read.setString(parameter, Fill.TYPE);
                    var sums = new LinkedHashMap<String, long[]>();
                    try (var rows = read.executeQuery()) {
                        while (rows.next()) {
                            transaction = rows.getLong(1);
                            sequence = rows.getLong(2);
                            long[] sum = sums.computeIfAbsent(rows.getString(3), id -> new long[2]);
                            sum[0] += Fill.amountOf(rows.getString(4));
                            sum[1]++;
                        }
                    }
                    if (sums.isEmpty()) {
                        break;
                    }
                    BenchTotals.upsert(connection, table, sums);
                    checkpoint.setString(1, transaction + ":" + sequence);
                    checkpoint.executeUpdate();
                    connection.commit();
                }
            }
            return System.nanoTime() - start;
        }
    }

    private CaseResult latency(String caseName, Settings settings) throws Exception {
        try (var opened = open(caseName)) {
            JdbcEventStore store = opened.store();
            var sentAt = new ConcurrentHashMap<UUID, Long>();
            var measuredFrom = new AtomicLong(Long.MAX_VALUE);
            var projected = new LatencyRecorder(sentAt, measuredFrom);
            var subscribed = new LatencyRecorder(sentAt, measuredFrom);
            try (var runtime = ProjectionRuntime.builder(store).afterCommit(projected::seen).build();
                 Subscription subscription = store.subscribeToAll(Position.START, EventFilter.eventTypes(Fill.TYPE), 100,
                         subscribed::seen)) {
                runtime.register(new BenchTotals(), ProjectionOptions.DEFAULTS);
                runtime.start();
                long sent = pacedAppends(store, settings, sentAt, measuredFrom);
                if (sent == 0) {
                    throw new IllegalStateException("no append fell into the measurement window");
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while ((projected.count() < sent || subscribed.count() < sent) && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
                }
                if (projected.count() < sent || subscribed.count() < sent) {
                    throw new IllegalStateException("not every measured append reached the read model and the subscription");
                }
                if (!subscription.isRunning()) {
                    throw new IllegalStateException("the subscription stopped");
                }
            }
            var baselines = new LinkedHashMap<String, Double>();
            baselines.put(SUBSCRIPTION, subscribed.samples().percentileMillis(99));
            return new CaseResult(SUITE, caseName, Unit.MILLISECONDS, projected.samples().percentileMillis(99), baselines,
                    List.of(new Target.AtMost(25)));
        }
    }

    /** Appends single events at the rate for the warm-up and the window; returns how many were measured. */
    private static long pacedAppends(JdbcEventStore store, Settings settings, Map<UUID, Long> sentAt,
                                     AtomicLong measuredFrom) {
        var random = new SplittableRandom(7);
        long interval = 1_000_000_000L / settings.appendsPerSecond();
        long start = System.nanoTime();
        long measureStart = start + settings.warmup().toNanos();
        long end = measureStart + settings.window().toNanos();
        measuredFrom.set(measureStart);
        long measured = 0;
        for (long next = start; next < end; next += interval) {
            long wait;
            while ((wait = next - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            var event = EventData.of(Fill.TYPE, Fill.data(random.nextLong(1, 1000)));
            long now = System.nanoTime();
            sentAt.put(event.eventId(), now);
            store.append(StreamId.of("acct-" + random.nextInt(Fill.STREAMS)), ExpectedVersion.any(), List.of(event));
            if (now >= measureStart) {
                measured++;
            }
        }
        return measured;
    }

    /** Latencies of the events one consumer saw, from just before their append. */
    private static final class LatencyRecorder {
        private final Map<UUID, Long> sentAt;
        private final AtomicLong measuredFrom;
        private final LatencySamples samples = new LatencySamples(10_000);
        private long count;

        LatencyRecorder(Map<UUID, Long> sentAt, AtomicLong measuredFrom) {
            this.sentAt = sentAt;
            this.measuredFrom = measuredFrom;
        }

        synchronized void seen(List<RecordedEvent> events) {
            long now = System.nanoTime();
            for (RecordedEvent event : events) {
                Long sent = sentAt.get(event.eventId());
                if (sent != null && sent >= measuredFrom.get()) {
                    samples.add(now - sent);
                    count++;
                }
            }
        }

        synchronized long count() {
            return count;
        }

        synchronized LatencySamples samples() {
            return samples;
        }
    }

    /** A store of the benchmark's own, and plain connections to its database for the ceiling. */
    private record OpenedStore(JdbcEventStore store, SqlConnections connect, Runnable cleanup) implements AutoCloseable {
        @Override
        public void close() {
            store.close();
            cleanup.run();
        }
    }

    private OpenedStore open(String caseName) {
        return switch (database) {
            case PostgresBenchDatabase postgres -> {
                String schema = SchemaNames.fresh(caseName, "annals");
                var store = PostgresEventStore.builder(postgres.jdbcUrl()).schema(schema).build();
                var pool = postgres.pool(schema, 1, false, Map.of("reWriteBatchedInserts", "true"));
                yield new OpenedStore(store, pool::getConnection, () -> {
                    pool.close();
                    postgres.dropSchema(schema);
                });
            }
            case SqliteBenchDatabase sqlite -> {
                Path file = sqlite.freshFile(caseName, "annals");
                yield new OpenedStore(SqliteEventStore.builder(file).synchronous(AnnalsStores.SQLITE_SYNCHRONOUS).build(),
                        () -> {
                            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                            try (Statement statement = connection.createStatement()) {
                                statement.execute("PRAGMA synchronous = " + AnnalsStores.SQLITE_SYNCHRONOUS.name());
                            }
                            return connection;
                        },
                        () -> SqliteBenchDatabase.deleteFiles(file));
            }
        };
    }

    @FunctionalInterface
    private interface SqlConnections {
        Connection get() throws SQLException;
    }

    private record RawConnection(Connection connection, Runnable cleanup) implements AutoCloseable {
        @Override
        public void close() throws SQLException {
            connection.close();
            cleanup.run();
        }
    }

    /** A connection of the baseline's own, in a schema or file of its own, not auto-committing. */
    private RawConnection rawConnection(String caseName) throws SQLException {
        return switch (database) {
            case PostgresBenchDatabase postgres -> {
                String schema = postgres.createSchema(caseName, RAW_JDBC);
                var pool = postgres.pool(schema, 1, false, Map.of("reWriteBatchedInserts", "true"));
                yield new RawConnection(pool.getConnection(), () -> {
                    pool.close();
                    postgres.dropSchema(schema);
                });
            }
            case SqliteBenchDatabase sqlite -> {
                Path file = sqlite.freshFile(caseName, RAW_JDBC);
                Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("PRAGMA journal_mode = WAL");
                    statement.execute("PRAGMA synchronous = " + AnnalsStores.SQLITE_SYNCHRONOUS.name());
                }
                connection.setAutoCommit(false);
                yield new RawConnection(connection, () -> SqliteBenchDatabase.deleteFiles(file));
            }
        };
    }
}
