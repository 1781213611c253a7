package io.annals.store.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.event.EventData;
import io.annals.event.Metadata;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.DeleteMode;
import io.annals.store.ExpectedVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NdjsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    @Test
    void anExportHasOneEventPerLineWithEveryField() throws IOException {
        try (var store = SqliteEventStore.open(directory.resolve("export.db"))) {
            var event = new EventData(UUID.randomUUID(), "OrderPlaced", "{\n  \"total\": 1.10,\n  \"note\": \"line\\nbreak\"\n}",
                    Metadata.of(Metadata.CORRELATION_ID, "c-1"), Instant.parse("2024-02-29T12:00:00.123456789Z"));
            store.append(StreamId.of("order-1"), ExpectedVersion.noStream(), List.of(event));
            var out = new ByteArrayOutputStream();

            assertThat(store.exportNdjson(out)).isEqualTo(1);

            String text = out.toString(StandardCharsets.UTF_8);
            assertThat(text).endsWith("\n").hasLineCount(1);
            JsonNode line = JSON.readTree(text);
            assertThat(line.get("eventId").asText()).isEqualTo(event.eventId().toString());
            assertThat(line.get("streamId").asText()).isEqualTo("order-1");
            assertThat(line.get("version").asLong()).isZero();
            assertThat(line.get("type").asText()).isEqualTo("OrderPlaced");
            assertThat(line.get("data").get("total").decimalValue()).isEqualByComparingTo("1.10");
            assertThat(text).contains("\"total\":1.10"); // numbers are copied exactly, not through a double
            assertThat(line.get("data").get("note").asText()).isEqualTo("line\nbreak");
            assertThat(line.get("metadata").get("correlationId").asText()).isEqualTo("c-1");
            assertThat(Instant.parse(line.get("occurredAt").asText())).isEqualTo(event.occurredAt());
            assertThat(line.get("recordedAt").asText()).isNotBlank();
        }
    }

    @Test
    void anImportIntoAnEmptyStoreReproducesEveryEventAndAReimportWritesNothing() throws IOException {
        var out = new ByteArrayOutputStream();
        List<RecordedEvent> original;
        try (var source = SqliteEventStore.open(directory.resolve("source.db"))) {
            for (int i = 0; i < 30; i++) {
                source.append(StreamId.of("s-" + (i % 4)), ExpectedVersion.any(), StoreFileOpeningTest.events(1 + i % 3));
            }
            source.append(StreamId.of("tagged-1"), ExpectedVersion.any(), List.of(
                    EventData.of("Tagged", "{\"a\":[1,2]}").withMetadata(new Metadata(Map.of("k", "v", "x", "y")))));
            source.delete(StreamId.of("s-1"), ExpectedVersion.any(), DeleteMode.SOFT);
            source.append(StreamId.of("s-1"), ExpectedVersion.noStream(), StoreFileOpeningTest.events(2));
            original = source.readAll(Position.START, 10_000);
            source.exportNdjson(out);
        }
        byte[] exported = out.toByteArray();

        try (var target = SqliteEventStore.open(directory.resolve("target.db"))) {
            ImportResult first = target.importNdjson(new ByteArrayInputStream(exported));
            assertThat(first).isEqualTo(new ImportResult(original.size(), original.size()));
            List<RecordedEvent> imported = target.readAll(Position.START, 10_000);
            assertThat(imported).usingRecursiveFieldByFieldElementComparatorIgnoringFields("data")
                    .containsExactlyElementsOf(original);
            for (int i = 0; i < original.size(); i++) {
                assertThat(JSON.readTree(imported.get(i).data())).isEqualTo(JSON.readTree(original.get(i).data()));
            }

            ImportResult again = target.importNdjson(new ByteArrayInputStream(exported));
            assertThat(again).isEqualTo(new ImportResult(original.size(), 0));
            assertThat(target.readAll(Position.START, 10_000)).hasSize(original.size());
        }
    }

    @Test
    void aMalformedLineIsReportedWithItsNumber() {
        String valid = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"streamId\":\"a-1\",\"version\":0,\"type\":\"T\","
                + "\"data\":{},\"metadata\":{},\"recordedAt\":\"2024-01-01T00:00:00Z\",\"occurredAt\":\"2024-01-01T00:00:00Z\"}";
        for (String bad : List.of("{not json", "{\"eventId\":\"nope\"}", "[1,2]",
                valid.replace("\"a-1\"", "\"bad stream id\""), valid.replace("\"version\":0", "\"version\":\"zero\""),
                valid.replace("2024-01-01T00:00:00Z\",\"occ", "yesterday\",\"occ"))) {
            try (var store = SqliteEventStore.open(directory.resolve("bad-" + UUID.randomUUID() + ".db"))) {
                String file = valid + "\n\n" + bad + "\n";
                assertThatThrownBy(() -> store.importNdjson(new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8))))
                        .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("line 3: ");
            }
        }
    }

    @Test
    void anImportThatDoesNotContinueAStreamIsRefusedNamingTheLine() {
        try (var store = SqliteEventStore.open(directory.resolve("gap.db"))) {
            String line = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"streamId\":\"a-1\",\"version\":5,\"type\":\"T\","
                    + "\"data\":{},\"metadata\":{},\"recordedAt\":\"2024-01-01T00:00:00Z\"}\n";
            assertThatThrownBy(() -> store.importNdjson(new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("line 1: ")
                    .hasMessageContaining("expected version 4");
            assertThat(store.readAll(Position.START, 10)).isEmpty();
        }
    }
}
