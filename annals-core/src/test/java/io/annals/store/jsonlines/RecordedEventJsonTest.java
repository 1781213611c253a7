package io.annals.store.jsonlines;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.event.Metadata;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.event.Tag;
import io.annals.store.DeleteMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordedEventJsonTest {

    @Test
    void writesTheDocumentedFieldsInTheirOrder() {
        var event = new RecordedEvent(StreamId.of("order-1"), 2, new Position(5, 9),
                UUID.fromString("0190c6f2-3c4a-7b1e-8a2b-0123456789ab"), "Placed", "{\"total\":1.50}",
                Metadata.of("correlationId", "c-1"), Instant.parse("2024-01-02T03:04:05.120Z"),
                Instant.parse("2024-01-02T03:04:05.123456789Z"));

        assertThat(RecordedEventJson.toJson(event)).isEqualTo("{\"eventId\":\"0190c6f2-3c4a-7b1e-8a2b-0123456789ab\","
                + "\"streamId\":\"order-1\",\"version\":2,\"position\":\"00000000000000050000000000000009\","
                + "\"type\":\"Placed\",\"data\":{\"total\":1.50},\"metadata\":{\"correlationId\":\"c-1\"},"
                + "\"recordedAt\":\"2024-01-02T03:04:05.120Z\",\"occurredAt\":\"2024-01-02T03:04:05.123456789Z\"}");
    }

    @Test
    void tagsFollowWhenTheEventHasAny() {
        var event = new RecordedEvent(StreamId.of("order-1"), 0, Position.of(1), UUID.randomUUID(), "Placed", "{}",
                Metadata.EMPTY, Instant.EPOCH, Instant.EPOCH, Set.of(Tag.of("user", "ada"), Tag.of("course", "c-1")));

        assertThat(RecordedEventJson.toJson(event)).endsWith(",\"occurredAt\":\"1970-01-01T00:00:00Z\","
                + "\"tags\":[\"course:c-1\",\"user:ada\"]}");
    }

    @Test
    void dataWithLineBreaksStaysOnOneLine() {
        String json = RecordedEventJson.toJson(event(new Random(1), "{\r\n  \"a\": \"x\\ny\"\n}"));
        assertThat(json).doesNotContain("\n").doesNotContain("\r").contains("\"data\":{    \"a\": \"x\\ny\" }");
    }

    /** Seeded: what the writer writes, the reader reads back as the same event, for any text in any field. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void whatTheWriterWritesTheReaderReadsBack(long seed) throws IOException {
        var random = new Random(seed);
        var events = new ArrayList<RecordedEvent>();
        for (int i = 0; i < 300; i++) {
            events.add(event(random, "{\"s\":" + quoted(text(random)) + ",\"n\":[" + random.nextInt() + ",-0.5e3,true]}"));
        }
        var out = new ByteArrayOutputStream();
        try (var writer = new JsonLinesWriter(out)) {
            for (RecordedEvent event : events) {
                writer.writeEvent(event);
            }
            writer.writeDeletions(StreamId.of("gone"), 4, true);
            writer.writeDeletions(StreamId.of("kept"), -1, false);
            assertThat(writer.result()).isEqualTo(new ExportResult(300, 2));
        }
        String file = out.toString(StandardCharsets.UTF_8);
        assertThat(file.split("\n", -1)).as("seed %d: one line each, and a last line break", seed).hasSize(303);

        List<JsonLine> lines = JsonLinesReaderTest.read(file);
        for (int i = 0; i < events.size(); i++) {
            RecordedEvent written = events.get(i);
            var read = (JsonLine.Event) lines.get(i);
            assertThat(read.differenceFrom(written, Duration.ZERO)).as("seed %d, line %d", seed, i + 1).isNull();
            assertThat(read.event().data()).as("seed %d, line %d", seed, i + 1).isEqualTo(written.data());
            assertThat(read.streamId()).isEqualTo(written.streamId());
            assertThat(read.version()).isEqualTo(written.version());
        }
        assertThat(lines.subList(300, 302)).containsExactly(
                new JsonLine.Deletion(301, StreamId.of("gone"), DeleteMode.SOFT, 4),
                new JsonLine.Deletion(302, StreamId.of("gone"), DeleteMode.HARD, -1));
    }

    private static RecordedEvent event(Random random, String data) {
        Map<String, String> metadata = new TreeMap<>();
        for (int m = random.nextInt(3); m > 0; m--) {
            metadata.put(text(random), text(random));
        }
        var occurred = Instant.ofEpochSecond(random.nextLong(-10_000_000_000L, 10_000_000_000L), random.nextInt(1_000_000_000));
        return new RecordedEvent(StreamId.of("s-" + random.nextInt(1000)), random.nextInt(1 << 20),
                new Position(random.nextLong(1L << 40), random.nextLong(1L << 40)), new UUID(random.nextLong(), random.nextLong()),
                "Type " + text(random).strip() + "x", data, new Metadata(metadata),
                Instant.ofEpochSecond(random.nextLong(0, 4_000_000_000L), random.nextInt(1_000_000) * 1_000), occurred,
                random.nextBoolean() ? Set.of() : Set.of(Tag.of("k" + random.nextInt(3), text(random).replaceAll("\\p{Cntrl}", "") + "v")));
    }

    /** Text with quotes, backslashes, control characters, line breaks, and characters outside the BMP. */
    private static String text(Random random) {
        String alphabet = "ab\"\\\n\r\t\u0001é€😀 /";
        var text = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            text.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0, random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
        }
        return text.toString();
    }

    private static String quoted(String text) {
        var json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> json.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return json.append('"').toString();
    }
}
