package io.annals.store.sqlite;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.ReadDirection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Importing into a store that already holds some of the file's events: same events are skipped, conflicts refused. */
class NdjsonReimportTest {

    private static final String RECORDED = "2024-01-01T00:00:00Z";

    @TempDir
    Path directory;

    private static String line(UUID id, String stream, long version, String data) {
        return "{\"eventId\":\"" + id + "\",\"streamId\":\"" + stream + "\",\"version\":" + version
                + ",\"type\":\"T\",\"data\":" + data + ",\"metadata\":{},\"recordedAt\":\"" + RECORDED + "\"}\n";
    }

    private static ByteArrayInputStream file(String... lines) {
        return new ByteArrayInputStream(String.join("", lines).getBytes(StandardCharsets.UTF_8));
    }

    private SqliteEventStore open() {
        return SqliteEventStore.open(directory.resolve("store.db"));
    }

    @Test
    void aFileOverlappingTheStoreWritesOnlyWhatTheStoreLacks() throws IOException {
        UUID a0 = UUID.randomUUID(), a1 = UUID.randomUUID(), b0 = UUID.randomUUID(), a2 = UUID.randomUUID();
        try (var store = open()) {
            store.importNdjson(file(line(a0, "a-1", 0, "{}"), line(b0, "b-1", 0, "{}")));

            ImportResult result = store.importNdjson(file(line(a0, "a-1", 0, "{}"), line(a1, "a-1", 1, "{}"),
                    line(b0, "b-1", 0, "{}"), line(a2, "a-1", 2, "{\"n\":2}")));

            assertThat(result).isEqualTo(new ImportResult(4, 2));
            assertThat(store.readAll(Position.START, 100)).extracting(RecordedEvent::eventId).containsExactly(a0, b0, a1, a2);
            assertThat(store.readAll(Position.START, 100)).extracting(RecordedEvent::position)
                    .containsExactly(Position.of(1), Position.of(2), Position.of(3), Position.of(4));
        }
    }

    @Test
    void theSameDataWrittenDifferentlyCountsAsTheSameEvent() throws IOException {
        UUID id = UUID.randomUUID();
        try (var store = open()) {
            store.importNdjson(file(line(id, "a-1", 0, "{\"x\":1,\"y\":[1,2]}")));

            assertThat(store.importNdjson(file(line(id, "a-1", 0, "{ \"y\" : [1, 2], \"x\" : 1 }"))))
                    .isEqualTo(new ImportResult(1, 0));
        }
    }

    @Test
    void aStoredVersionWithOtherContentIsRefusedAndNothingOfTheBatchIsWritten() throws IOException {
        UUID id = UUID.randomUUID();
        try (var store = open()) {
            store.importNdjson(file(line(id, "a-1", 0, "{\"total\":1}")));

            assertThatThrownBy(() -> store.importNdjson(file(line(UUID.randomUUID(), "b-1", 0, "{}"),
                    line(id, "a-1", 0, "{\"total\":2}"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("line 2: ")
                    .hasMessageContaining("version 0 of stream a-1").hasMessageContaining("data differs");

            assertThat(store.readAll(Position.START, 100)).extracting(RecordedEvent::eventId).containsExactly(id);
            assertThat(store.readStream(StreamId.of("a-1"), 0, ReadDirection.FORWARD, 10).getFirst().data()).isEqualTo("{\"total\":1}");
        }
    }

    @Test
    void aStoredVersionHoldingAnotherEventIdIsRefused() throws IOException {
        UUID stored = UUID.randomUUID(), other = UUID.randomUUID();
        try (var store = open()) {
            store.importNdjson(file(line(stored, "a-1", 0, "{}")));

            assertThatThrownBy(() -> store.importNdjson(file(line(other, "a-1", 0, "{}"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("line 1: ").hasMessageContaining(stored.toString());
            assertThat(store.readAll(Position.START, 100)).extracting(RecordedEvent::eventId).containsExactly(stored);
        }
    }

    @Test
    void anEventIdTheStreamHoldsAtAnotherVersionIsRefused() throws IOException {
        UUID first = UUID.randomUUID();
        try (var store = open()) {
            store.importNdjson(file(line(first, "a-1", 0, "{}")));

            assertThatThrownBy(() -> store.importNdjson(file(line(UUID.randomUUID(), "c-1", 0, "{}"),
                    line(first, "a-1", 1, "{}"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("line 2: ")
                    .hasMessageContaining("already stored at version 0 of stream a-1");
            assertThat(store.readAll(Position.START, 100)).extracting(RecordedEvent::eventId).containsExactly(first);
        }
    }

    @Test
    void anEventIdRepeatedWithinTheFileAtAnotherVersionIsRefused() {
        UUID id = UUID.randomUUID();
        try (var store = open()) {
            String first = line(id, "a-1", 0, "{}");
            String repeated = line(id, "a-1", 1, "{}").replace(RECORDED, "2024-01-02T00:00:00Z"); // a separate append
            assertThatThrownBy(() -> store.importNdjson(file(first, repeated)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("line 2: ");
            assertThat(store.readAll(Position.START, 100)).isEmpty();
        }
    }

    @Test
    void aTimeDifferentFromTheStoredOneIsAConflict() throws IOException {
        UUID id = UUID.randomUUID();
        try (var store = open()) {
            store.importNdjson(file(line(id, "a-1", 0, "{}")));

            assertThatThrownBy(() -> store.importNdjson(file(line(id, "a-1", 0, "{}").replace(RECORDED, "2024-01-02T00:00:00Z"))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recorded at " + RECORDED);
        }
    }

    private static String[] tenThousandNewLinesAnd(String... more) {
        var lines = new java.util.ArrayList<String>();
        for (int i = 0; i < 10_000; i++) {
            lines.add(line(UUID.randomUUID(), "bulk-" + i / 10, i % 10, "{}"));
        }
        lines.addAll(List.of(more));
        return lines.toArray(String[]::new);
    }

    @Test
    void aBadLineAfterAFullTransactionKeepsThatTransaction() {
        try (var store = open()) {
            assertThatThrownBy(() -> store.importNdjson(file(tenThousandNewLinesAnd(
                    line(UUID.randomUUID(), "late-1", 0, "{}"), "{broken\n"))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("line 10002: ");

            assertThat(store.readAll(Position.START, 20_000)).hasSize(10_000);
        }
    }

    @Test
    void aConflictInAnEarlierTransactionIsReportedBeforeABadLineAfterIt() throws IOException {
        UUID id = UUID.randomUUID();
        try (var store = open()) {
            store.importNdjson(file(line(id, "a-1", 0, "{\"v\":1}")));
            String[] lines = tenThousandNewLinesAnd("{broken\n");
            lines[5] = line(id, "a-1", 0, "{\"v\":2}");

            assertThatThrownBy(() -> store.importNdjson(file(lines)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("line 6: ");
            assertThat(store.readAll(Position.START, 20_000)).extracting(RecordedEvent::eventId).containsExactly(id);
        }
    }
}
