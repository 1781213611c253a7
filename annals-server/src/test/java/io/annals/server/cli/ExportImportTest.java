package io.annals.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.event.EventData;
import io.annals.event.Metadata;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.server.store.EventStores;
import io.annals.server.store.StoreSettings;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import io.annals.store.inmemory.InMemoryEventStore;
import io.annals.server.transfer.PortableNdjsonTransfer;
import io.annals.store.postgres.testing.TestPostgres;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportImportTest {

    @TempDir
    Path directory;

    /** The parts of an event that a move between stores keeps (positions are the target's own). */
    record Moved(String eventId, String streamId, long version, String type, String data, Map<String, String> metadata,
                 Instant recordedAt, Instant occurredAt) {
        static Moved of(RecordedEvent event) {
            return new Moved(event.eventId().toString(), event.streamId().value(), event.version(), event.type(),
                    event.data().replace(" ", ""), event.metadata().values(),
                    toMicros(event.recordedAt()), toMicros(event.occurredAt()));
        }

        /** PostgreSQL keeps microseconds, rounded to the nearest. */
        private static Instant toMicros(Instant instant) {
            return instant.plusNanos(500).truncatedTo(ChronoUnit.MICROS);
        }
    }

    @Test
    void movesEveryEventFromSqliteToPostgresAndBackKeepingIdsVersionsAndTimes() throws Exception {
        Path source = directory.resolve("source");
        List<Moved> original;
        try (EventStore store = EventStores.open(new StoreSettings.Sqlite(source))) {
            fill(store);
            original = everything(store);
        }
        TestPostgres postgres = TestPostgres.get();
        String schema = postgres.freshSchema("server_transfer");
        try {
            Path sqliteExport = directory.resolve("sqlite.ndjson");
            assertThat(run("export", "--data-dir", source.toString(), "--out", sqliteExport.toString())).contains("exported 60 events");
            assertThat(run("import", "--store", "postgres", "--jdbc-url", postgres.jdbcUrl(), "--pg-schema", schema,
                    sqliteExport.toString())).contains("imported 60 events");

            try (EventStore store = EventStores.open(new StoreSettings.Postgres(postgres.jdbcUrl(), schema))) {
                assertThat(everything(store)).containsExactlyElementsOf(original);
            }

            Path postgresExport = directory.resolve("postgres.ndjson");
            run("export", "--store", "postgres", "--jdbc-url", postgres.jdbcUrl(), "--pg-schema", schema, "--out", postgresExport.toString());
            Path target = directory.resolve("target");
            assertThat(run("import", "--data-dir", target.toString(), postgresExport.toString())).contains("imported 60 events");
            try (EventStore store = EventStores.open(new StoreSettings.Sqlite(target))) {
                assertThat(everything(store)).containsExactlyElementsOf(original);
            }
            assertThat(run("import", "--data-dir", target.toString(), postgresExport.toString())).contains("imported 0 events");
        } finally {
            postgres.dropSchema(schema);
        }
    }

    @Test
    void theStoreApiPathKeepsStreamsVersionsAndEventIdsAndSkipsARepeatedImport() throws Exception {
        var source = new InMemoryEventStore();
        fill(source);
        var file = new ByteArrayOutputStream();
        assertThat(new PortableNdjsonTransfer(source).exportTo(file)).isEqualTo(60);

        var target = new InMemoryEventStore();
        var transfer = new PortableNdjsonTransfer(target);
        assertThat(transfer.importFrom(new ByteArrayInputStream(file.toByteArray()))).isEqualTo(60);
        assertThat(transfer.importFrom(new ByteArrayInputStream(file.toByteArray()))).isZero();

        assertThat(everything(target)).extracting(m -> m.eventId() + m.streamId() + m.version() + m.type() + m.data() + m.occurredAt())
                .containsExactlyElementsOf(everything(source).stream()
                        .map(m -> m.eventId() + m.streamId() + m.version() + m.type() + m.data() + m.occurredAt()).toList());
    }

    @Test
    void aMalformedLineNamesItsLineAndTheExitCodeSaysFailure() throws Exception {
        Path file = directory.resolve("bad.ndjson");
        Files.writeString(file, "{\"eventId\":\"" + UUID.randomUUID() + "\",\"streamId\":\"a-1\",\"version\":0,\"type\":\"T\","
                + "\"data\":{},\"metadata\":{},\"recordedAt\":\"2026-01-01T00:00:00Z\",\"occurredAt\":\"2026-01-01T00:00:00Z\"}\n"
                + "{not json\n");
        var err = new StringWriter();
        int code = AnnalsCommand.execute(new String[] {"import", "--data-dir", directory.resolve("t").toString(), file.toString()},
                Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err));

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("line 2").doesNotContain("\tat ");
    }

    private String run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = AnnalsCommand.execute(args, Map.of(), new PrintWriter(out), new PrintWriter(err));
        assertThat(code).as(String.join(" ", args) + ": " + err).isZero();
        return out.toString();
    }

    private static void fill(EventStore store) {
        for (int i = 0; i < 20; i++) {
            StreamId stream = StreamId.of("move-" + (i % 7));
            var events = new ArrayList<EventData>();
            for (int j = 0; j < 3; j++) {
                events.add(new EventData(UUID.randomUUID(), "Moved" + j, "{\"i\":" + i + ",\"j\":" + j + ",\"x\":1.50}",
                        Metadata.of("correlationId", "c-" + i), Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i)));
            }
            store.append(stream, ExpectedVersion.any(), events);
        }
    }

    private static List<Moved> everything(EventStore store) {
        return store.readAll(Position.START, 10_000).stream().map(Moved::of).toList();
    }
}
