package io.annals.server.http.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.Tag;
import io.annals.node.ApiProblem;
import io.annals.server.json.Json;
import io.annals.store.AppendCondition;
import io.annals.store.EventQuery;
import io.annals.store.QueryItem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The append body's single streaming pass; the HTTP status of each refusal is covered by HostileRequestsTest. */
class AppendRequestParserTest {

    private final AppendRequestParser parser = new AppendRequestParser(3);

    @Test
    void passesEachEventsDataOnAsTheExactTextSent() throws IOException {
        var events = parse("""
                [ {"type":"A","data": {"amount": 1.50, "note":"d\\u00e9j\\u00e0 vu \u00e9", "list":[1, {"x":[]}]},
                   "eventId":"3f2c1a9e-0b7d-4e21-9a55-1c2d3e4f5a6b","metadata":{"k":"v"},"occurredAt":"2026-01-31T12:00:00Z"},
                  {"data":[ ],"type":"B"} ]""");

        assertThat(events).hasSize(2);
        assertThat(events.get(0).data()).isEqualTo("{\"amount\": 1.50, \"note\":\"d\\u00e9j\\u00e0 vu \u00e9\", \"list\":[1, {\"x\":[]}]}");
        assertThat(events.get(0).eventId()).isEqualTo(UUID.fromString("3f2c1a9e-0b7d-4e21-9a55-1c2d3e4f5a6b"));
        assertThat(events.get(0).metadata().values()).containsExactlyEntriesOf(Map.of("k", "v"));
        assertThat(events.get(0).occurredAt()).hasToString("2026-01-31T12:00:00Z");
        assertThat(events.get(1).type()).isEqualTo("B");
        assertThat(events.get(1).data()).isEqualTo("[ ]");
    }

    @Test
    void refusesWhatTheTreeParserRefusedWithADetailThatNamesTheEvent() {
        assertRefused("[{\"type\":\"A\",\"data\":{},\"admin\":true}]", "event 0: has unknown field 'admin'");
        assertRefused("[{\"type\":\"A\",\"data\":{}},{\"type\":\"A\",\"data\":\"text\"}]", "event 1: data must be a JSON object or array");
        assertRefused("[{\"data\":{}}]", "event 0: type must be a string");
        assertRefused("[{\"type\":\"A\"}]", "event 0: data must be a JSON object or array");
        assertRefused("[{\"type\":\"A\",\"data\":{},\"metadata\":{\"k\":1}}]", "metadata value of 'k' must be a string");
        assertRefused("[]", "at least one event");
        assertRefused("{\"type\":\"A\",\"data\":{}}", "the append has unknown field 'type'");
        assertRefused("\"text\"", "must be a JSON array of events or an object");
        assertRefused("[{\"type\":\"A\",\"data\":{}}] []", "content after the array");
        assertRefused("[{\"type\":\"A\",\"data\":{}},{\"type\":\"A\",\"data\":{}},{\"type\":\"A\",\"data\":{}},{\"type\":\"A\",\"data\":{}}]",
                "at most 3 events");
    }

    @Test
    void readsTagsAndRefusesMalformedOnesNamingTheEvent() throws IOException {
        var events = parse("[{\"type\":\"A\",\"data\":{},\"tags\":[\"email:ada@example.com\",\"url:https://x/y\"]}]");
        assertThat(events.getFirst().tags()).extracting(Object::toString).containsExactly("email:ada@example.com", "url:https://x/y");

        assertRefused("[{\"type\":\"A\",\"data\":{},\"tags\":\"email:x\"}]", "event 0: tags must be an array of key:value strings");
        assertRefused("[{\"type\":\"A\",\"data\":{},\"tags\":[1]}]", "event 0: tags must be an array of key:value strings");
        assertRefused("[{\"type\":\"A\",\"data\":{},\"tags\":[\"novalue\"]}]", "event 0: a tag is written key:value");
        assertRefused("[{\"type\":\"A\",\"data\":{},\"tags\":[\"k y:v\"]}]", "event 0: tag key must be");
        String many = String.join(",", java.util.stream.IntStream.rangeClosed(0, 32).mapToObj(i -> "\"t:" + i + "\"").toList());
        assertRefused("[{\"type\":\"A\",\"data\":{},\"tags\":[" + many + "]}]", "event 0: carries more than 32 tags");
    }

    @Test
    void readsAConditionBesideTheEvents() throws IOException {
        Position after = Position.of(42);
        var request = request("""
                {"events":[{"type":"UserRegistered","data":{},"tags":["email:ada@example.com"]}],
                 "condition":{"query":{"items":[{"types":["UserRegistered","EmailChanged"],"tags":["email:ada@example.com"]},
                                                {"tags":["user:u1","plan:pro"]}]},
                              "after":"%s"}}""".formatted(after));

        assertThat(request.events()).singleElement().extracting(EventData::type).isEqualTo("UserRegistered");
        var expected = EventQuery.of(Set.of("UserRegistered", "EmailChanged"), Set.of(Tag.of("email", "ada@example.com")))
                .or(QueryItem.tagged(Tag.of("user", "u1"), Tag.of("plan", "pro")));
        assertThat(request.condition()).contains(new AppendCondition(expected, after));

        assertThat(request("{\"condition\":{\"query\":{\"items\":[{\"types\":[\"A\"]}]}},\"events\":[{\"type\":\"A\",\"data\":{}}]}")
                .condition()).contains(AppendCondition.noneMatching(EventQuery.of(QueryItem.ofTypes("A"))));
        assertThat(request("{\"events\":[{\"type\":\"A\",\"data\":{}}]}").condition()).isEmpty();
        assertThat(request("[{\"type\":\"A\",\"data\":{}}]").condition()).isEmpty();
    }

    @Test
    void refusesAMalformedConditionNamingThePart() {
        String events = "\"events\":[{\"type\":\"A\",\"data\":{}}]";
        assertRefused("{\"condition\":{\"query\":{\"items\":[{\"types\":[\"A\"]}]}}}", "needs its events in 'events'");
        assertRefused("{" + events + ",\"condition\":[]}", "condition must be an object");
        assertRefused("{" + events + ",\"condition\":{}}", "condition needs a query");
        assertRefused("{" + events + ",\"condition\":{\"query\":{\"items\":[]}}}", "condition.query needs at least one item");
        assertRefused("{" + events + ",\"condition\":{\"query\":{}}}", "condition.query needs at least one item");
        assertRefused("{" + events + ",\"condition\":{\"query\":[]}}", "condition.query must be a JSON object");
        assertRefused("{" + events + ",\"condition\":{\"query\":{\"items\":[{}]}}}", "condition.query: item 0 names no type and no tag");
        assertRefused("{" + events + ",\"condition\":{\"query\":{\"items\":[{\"tags\":[\"novalue\"]}]}}}",
                "condition.query: item 0: a tag is written key:value");
        assertRefused("{" + events + ",\"condition\":{\"query\":{\"items\":[{\"types\":[\"A\"],\"tag\":[]}]}}}",
                "item 0 has unknown field 'tag'");
        assertRefused("{" + events + ",\"condition\":{\"query\":{\"items\":[{\"types\":[1]}]}}}", "types must be strings");
        assertRefused("{" + events + ",\"condition\":{\"query\":{\"items\":[{\"types\":[\"A\"]}]},\"after\":\"zz\"}}",
                "condition.after");
        assertRefused("{" + events + ",\"condition\":{\"query\":{\"items\":[{\"types\":[\"A\"]}]},\"after\":7}}",
                "condition.after must be a position string");
        assertRefused("{" + events + ",\"condition\":{\"query\":{\"items\":[{\"types\":[\"A\"]}]},\"before\":\"0\"}}",
                "condition has unknown field 'before'");
        assertRefused("{" + events + "} {}", "content after the append object");
    }

    @Test
    void acceptsOnlyCanonicalUuidsAsEventIds() {
        assertThat(AppendRequestParser.isCanonicalUuid("3f2c1a9e-0b7d-4e21-9a55-1c2d3e4f5a6b")).isTrue();
        assertThat(AppendRequestParser.isCanonicalUuid("3F2C1A9E-0B7D-4E21-9A55-1C2D3E4F5A6B")).isTrue();
        for (String bad : List.of("", "1-1-1-1-1", "3f2c1a9e0b7d-4e21-9a55-1c2d3e4f5a6b-", "3f2c1a9e-0b7d-4e21-9a55-1c2d3e4f5a6g",
                "3f2c1a9e-0b7d-4e21-9a55-1c2d3e4f5a6b0", "3f2c1a9e+0b7d-4e21-9a55-1c2d3e4f5a6b", "{3f2c1a9-0b7d-4e21-9a55-1c2d3e4f5a6b}")) {
            assertThat(AppendRequestParser.isCanonicalUuid(bad)).as(bad).isFalse();
        }
        assertRefused("[{\"eventId\":\"3f2c1a9e-0b7d-4e21-9a55-1c2d3e4f5a6\",\"type\":\"A\",\"data\":{}}]", "eventId must be a UUID");
    }

    private void assertRefused(String body, String detail) {
        assertThatThrownBy(() -> parse(body)).isInstanceOf(ApiProblem.class).hasMessageContaining(detail);
    }

    @Test
    void readsEveryRfc3339DateTimeAndRefusesALeapSecondInsteadOfMovingIt() {
        var noon = java.time.Instant.parse("2026-01-31T12:00:00Z");
        assertThat(AppendRequestParser.rfc3339("2026-01-31T12:00:00Z", 0)).isEqualTo(noon);
        assertThat(AppendRequestParser.rfc3339("2026-01-31t12:00:00z", 0)).isEqualTo(noon);
        assertThat(AppendRequestParser.rfc3339("2026-01-31T13:00:00+01:00", 0)).isEqualTo(noon);
        assertThat(AppendRequestParser.rfc3339("2026-01-31T11:30:00.000000001-00:30", 0)).isEqualTo(noon.plusNanos(1));
        for (String refused : List.of("2016-12-31T23:59:60Z", "2026-01-31T12:00Z", "2026-02-30T12:00:00Z", "2026-01-31 12:00:00",
                "2026-01-31T12:00:00+0100", "yesterday")) {
            assertThatThrownBy(() -> AppendRequestParser.rfc3339(refused, 0)).as(refused)
                    .isInstanceOfSatisfying(io.annals.node.ApiProblem.class, problem -> assertThat(problem.status()).isEqualTo(400));
        }
        assertThatThrownBy(() -> AppendRequestParser.rfc3339("2016-12-31T23:59:60Z", 0)).hasMessageContaining("leap second");
    }

    @Test
    void countsATypesLengthInCharactersAsTheSpecificationDoes() throws IOException {
        String twoHundredEmoji = "\uD83D\uDE00".repeat(200);
        assertThat(parse("[{\"type\":\"" + twoHundredEmoji + "\",\"data\":{}}]").getFirst().type()).isEqualTo(twoHundredEmoji);
        assertRefused("[{\"type\":\"" + twoHundredEmoji + "x\",\"data\":{}}]", "type");
    }

    private List<EventData> parse(String body) throws IOException {
        return request(body).events();
    }

    private AppendRequest request(String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (JsonParser json = Json.strictMapper().getFactory().createParser(bytes)) {
            return parser.read(json, bytes);
        }
    }
}
