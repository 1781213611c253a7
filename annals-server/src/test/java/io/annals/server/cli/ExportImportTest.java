package io.annals.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.event.Position;
import io.annals.event.StreamId;
import io.annals.server.store.EventStores;
import io.annals.server.store.StoreSettings;
import io.annals.store.EventFilter;
import io.annals.store.EventStore;
import io.annals.store.postgres.testing.TestPostgres;
import io.annals.store.sqlite.SqliteEventStore;
import io.annals.tck.StoreAnswers;
import io.annals.tck.StoreHistory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportImportTest {

    /** PostgreSQL keeps microseconds, rounded to the nearest (no instant of these tests is half-way). */
    private static final UnaryOperator<Instant> MICROSECONDS = instant -> instant.plusNanos(500).truncatedTo(ChronoUnit.MICROS);

    @TempDir
    Path directory;

    /**
     * A backup is the store: SQLite exported and imported into PostgreSQL, and that exported and
     * imported into SQLite again, answer every read and every write as the original did,
     * deletions included (instants to PostgreSQL's microsecond).
     */
    @Test
    void aBackupAnswersEveryReadAsTheStoreFromSqliteToPostgresAndBack() throws Exception {
        Path source = directory.resolve("source");
        List<StreamId> streams;
        StoreAnswers original;
        try (var store = SqliteEventStore.builder(EventStores.sqliteFile(source)).clock(new NanosecondClock()).build()) {
            streams = StoreHistory.write(store, new Random(42), true, true);
            original = StoreAnswers.of(store, streams, MICROSECONDS);
        }
        TestPostgres postgres = TestPostgres.get();
        String schema = postgres.freshSchema("server_transfer");
        try {
            Path sqliteExport = directory.resolve("sqlite.jsonl");
            String exported = run("export", "--data-dir", source.toString(), "--out", sqliteExport.toString());
            long events = Files.readAllLines(sqliteExport).stream().filter(line -> line.contains("\"eventId\"")).count();
            long deletions = Files.readAllLines(sqliteExport).size() - events;
            assertThat(deletions).as("the history deletes streams").isPositive();
            assertThat(exported).contains("exported " + events + " events and " + deletions + " deletions");

            String[] intoPostgres = {"import", "--store", "postgres", "--jdbc-url", postgres.jdbcUrl(), "--pg-schema", schema,
                    sqliteExport.toString()};
            assertThat(run(intoPostgres)).contains("imported " + events + " events (0 already there) and " + deletions + " deletions");
            StoreAnswers inPostgres;
            try (EventStore store = EventStores.open(new StoreSettings.Postgres(postgres.jdbcUrl(), schema))) {
                awaitVisible(store, events);
                inPostgres = StoreAnswers.of(store, streams, UnaryOperator.identity());
                assertThat(StoreAnswers.of(store, streams, MICROSECONDS)).isEqualTo(original);
            }
            assertThat(run(intoPostgres)).as("importing again skips everything")
                    .contains("imported 0 events (" + events + " already there) and " + deletions + " deletions");

            Path postgresExport = directory.resolve("postgres.jsonl");
            run("export", "--store", "postgres", "--jdbc-url", postgres.jdbcUrl(), "--pg-schema", schema, "--out",
                    postgresExport.toString());
            Path target = directory.resolve("target");
            assertThat(run("import", "--data-dir", target.toString(), postgresExport.toString()))
                    .contains("imported " + events + " events (0 already there) and " + deletions + " deletions");
            try (EventStore restored = EventStores.open(new StoreSettings.Sqlite(target));
                 EventStore store = EventStores.open(new StoreSettings.Sqlite(source))) {
                assertThat(StoreAnswers.of(restored, streams, UnaryOperator.identity())).isEqualTo(inPostgres);
                assertThat(StoreAnswers.of(restored, streams, MICROSECONDS)).isEqualTo(original);
                assertThat(StoreAnswers.afterWrites(restored, streams)).isEqualTo(StoreAnswers.afterWrites(store, streams));
            }
        } finally {
            postgres.dropSchema(schema);
        }
    }

    @Test
    void aDamagedLineNamesItselfAndWhatWasCommittedAndTheExitCodeSaysFailure() throws Exception {
        Path file = directory.resolve("bad.jsonl");
        Files.writeString(file, "{\"eventId\":\"" + UUID.randomUUID() + "\",\"streamId\":\"a-1\",\"version\":0,\"type\":\"T\","
                + "\"data\":{},\"metadata\":{},\"recordedAt\":\"2026-01-01T00:00:00Z\",\"occurredAt\":\"2026-01-01T00:00:00Z\"}\n"
                + "{not json\n");
        var err = new StringWriter();
        int code = AnnalsCommand.execute(new String[] {"import", "--data-dir", directory.resolve("t").toString(), file.toString()},
                Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err));

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("annals: line 2: not valid JSON").contains("nothing was committed")
                .doesNotContain("\tat ");
    }

    private String run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = AnnalsCommand.execute(args, Map.of(), new PrintWriter(out), new PrintWriter(err));
        assertThat(code).as(String.join(" ", args) + ": " + err).isZero();
        return out.toString();
    }

    private static void awaitVisible(EventStore store, long events) {
        await().atMost(Duration.ofSeconds(60)).until(() ->
                StoreAnswers.readAll(store, Position.START, EventFilter.ALL, 1000).size() >= events);
    }

    /** Recorded times with nanoseconds, never exactly half a microsecond. */
    private static final class NanosecondClock extends Clock {
        private final AtomicLong nanos = new AtomicLong(1_700_000_000_000_000_000L);

        @Override
        public Instant instant() {
            long now = nanos.addAndGet(1_234_567);
            if (now % 1_000 == 500) {
                now = nanos.incrementAndGet();
            }
            return Instant.ofEpochSecond(0, now);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
