package io.annals.store.jsonlines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.event.Metadata;
import io.annals.event.StreamId;
import io.annals.event.Tag;
import io.annals.store.DeleteMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class JsonLinesReaderTest {

    private static final String ID = "0190c6f2-3c4a-7b1e-8a2b-0123456789ab";
    private static final String EVENT = "{\"eventId\":\"" + ID + "\",\"streamId\":\"order-1\",\"version\":3,"
            + "\"position\":\"00000000000000000000000000000004\",\"type\":\"Placed\",\"data\":{ \"a\" : [1, 2.50] },"
            + "\"metadata\":{\"correlationId\":\"c-1\"},\"recordedAt\":\"2024-01-02T03:04:05.123456Z\","
            + "\"occurredAt\":\"2023-12-31T23:59:59Z\"}";

    @Test
    void readsAnEventLineKeepingDataAsWritten() throws IOException {
        JsonLine.Event event = (JsonLine.Event) read(EVENT).getFirst();

        assertThat(event.number()).isEqualTo(1);
        assertThat(event.streamId()).isEqualTo(StreamId.of("order-1"));
        assertThat(event.version()).isEqualTo(3);
        assertThat(event.event().eventId()).isEqualTo(UUID.fromString(ID));
        assertThat(event.event().type()).isEqualTo("Placed");
        assertThat(event.event().data()).isEqualTo("{ \"a\" : [1, 2.50] }");
        assertThat(event.event().metadata()).isEqualTo(Metadata.of("correlationId", "c-1"));
        assertThat(event.recordedAt()).isEqualTo(Instant.parse("2024-01-02T03:04:05.123456Z"));
        assertThat(event.event().occurredAt()).isEqualTo(Instant.parse("2023-12-31T23:59:59Z"));
    }

    @Test
    void readsTags() throws IOException {
        var event = (JsonLine.Event) read(EVENT.replace("\"type\"", "\"tags\":[\"user:ada\",\"course:c:1\"],\"type\"")).getFirst();
        assertThat(event.event().tags()).containsExactly(Tag.of("course", "c:1"), Tag.of("user", "ada"));
    }

    @Test
    void anEventWithoutOccurredAtOrMetadataOccurredWhenItWasRecorded() throws IOException {
        List<JsonLine> lines = read(EVENT.replace(",\"occurredAt\":\"2023-12-31T23:59:59Z\"", "")
                        .replace("{\"correlationId\":\"c-1\"}", "null"),
                EVENT.replace("\"2023-12-31T23:59:59Z\"", "null").replace(",\"metadata\":{\"correlationId\":\"c-1\"}", ""));
        for (JsonLine line : lines) {
            var event = (JsonLine.Event) line;
            assertThat(event.event().occurredAt()).isEqualTo(event.recordedAt());
            assertThat(event.event().metadata()).isEqualTo(Metadata.EMPTY);
        }
    }

    @Test
    void readsDeletionsSkipsBlankLinesAndIgnoresUnknownFields() throws IOException {
        List<JsonLine> lines = read("", EVENT.replace("\"type\"", "\"later\":{\"x\":[1]},\"type\""), "  ",
                "{\"deleted\":\"soft\",\"streamId\":\"order-1\",\"throughVersion\":3}",
                "{\"deleted\":\"hard\",\"streamId\":\"order-1\",\"reason\":\"gdpr\"}");

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).number()).isEqualTo(2);
        assertThat(lines.get(1)).isEqualTo(new JsonLine.Deletion(4, StreamId.of("order-1"), DeleteMode.SOFT, 3));
        assertThat(lines.get(2)).isEqualTo(new JsonLine.Deletion(5, StreamId.of("order-1"), DeleteMode.HARD, -1));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "[1]|a line must be a JSON object",
        "{\"eventId\":\"x\"|not valid JSON",
        "`" + "{}{}" + "`|content after the JSON object",
        "\"eventId\":\"" + ID + "\",>|field eventId is missing",
        "\"version\":3,>|field version is missing",
        ",\"recordedAt\":\"2024-01-02T03:04:05.123456Z\">|field recordedAt is missing",
        "\"eventId\":\"" + ID + "\">\"eventId\":\"not-a-uuid\"|eventId 'not-a-uuid' is not a UUID",
        "\"eventId\":\"" + ID + "\">\"eventId\":7|eventId must be a string",
        "\"streamId\":\"order-1\">\"streamId\":\"order 1\"|stream id 'order 1' is not valid",
        "\"version\":3>\"version\":-1|version must be a whole number of 0 or more",
        "\"version\":3>\"version\":3.5|version must be a whole number of 0 or more",
        "\"version\":3>\"version\":\"3\"|version must be a whole number of 0 or more",
        "\"version\":3>\"version\":99999999999999999999|version must be a whole number of 0 or more",
        "\"type\":\"Placed\">\"type\":\" \"|event type must be 1 to 200 non-blank characters",
        "{ \"a\" : [1, 2.50] }>\"text\"|data must be a JSON object or array",
        "{ \"a\" : [1, 2.50] }>{\"a\":\"\\u0000\"}|data contains the escape \\u0000",
        "{\"correlationId\":\"c-1\"}>{\"n\":1}|metadata value of 'n' must be a string",
        "{\"correlationId\":\"c-1\"}>[]|metadata must be an object of strings",
        "2024-01-02T03:04:05.123456Z>yesterday|recordedAt 'yesterday' is not an ISO-8601 instant",
        "2023-12-31T23:59:59Z>2023-02-30T00:00:00Z|occurredAt '2023-02-30T00:00:00Z' is not an ISO-8601 instant",
        "\"type\">\"deleted\":\"hard\",\"type\"|a line is either an event or a deletion, not both",
        "\"type\">\"tags\":\"user:ada\",\"type\"|tags must be an array of key:value strings",
        "\"type\">\"tags\":[\"ada\"],\"type\"|a tag is written key:value, got 'ada'",
    })
    void aDamagedEventLineIsRefusedWithItsNumberAndWhy(String edit, String problem) {
        String[] replace = edit.split(">", 2);
        assertThat(replace.length == 1 || EVENT.contains(replace[0])).as(edit).isTrue();
        String line = replace.length == 1 ? edit : EVENT.replace(replace[0], replace[1]);
        assertThatThrownBy(() -> read(EVENT, line))
                .isInstanceOfSatisfying(InvalidLineException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.problem()).contains(problem);
                })
                .hasMessageStartingWith("line 2: ");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{\"deleted\":\"gone\",\"streamId\":\"a-1\"}|deleted must be \"soft\" or \"hard\", not \"gone\"",
        "{\"deleted\":\"soft\",\"streamId\":\"a-1\"}|field throughVersion is missing",
        "{\"deleted\":\"hard\"}|field streamId is missing",
        "{\"deleted\":true,\"streamId\":\"a-1\"}|deleted must be a string",
    })
    void aDamagedDeletionLineIsRefused(String line, String problem) {
        assertThatThrownBy(() -> read(line))
                .isInstanceOfSatisfying(InvalidLineException.class, e -> assertThat(e.problem()).isEqualTo(problem));
    }

    @Test
    void noEventOfAStreamMayFollowItsDeletion() {
        assertThatThrownBy(() -> read(EVENT.replace("\"version\":3", "\"version\":0"),
                "{\"deleted\":\"soft\",\"streamId\":\"order-1\",\"throughVersion\":0}", EVENT))
                .isInstanceOfSatisfying(InvalidLineException.class, e -> assertThat(e.line()).isEqualTo(3))
                .hasMessageContaining("an event of stream order-1 follows its deletion on line 2");
    }

    static List<JsonLine> read(String... lines) throws IOException {
        var reader = new JsonLinesReader(new ByteArrayInputStream(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)));
        var read = new ArrayList<JsonLine>();
        JsonLine line;
        while ((line = reader.next()) != null) {
            read.add(line);
        }
        return read;
    }
}
