package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.event.Position;
import io.annals.server.store.StoreSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Tags, queries and append conditions over HTTP, against a node on a real store: read by query
 * (paged, {@code next} where the read scanned to), conditional append (409 naming the conflict,
 * nothing written), subscribe by query over SSE, and 400 problems for bad input. Each store's
 * subclass runs it unchanged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class QueryApiTest {

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private AnnalsNode node;
    private NodeClient client;

    /** The store the node serves; called once for the class. */
    protected abstract StoreSettings store();

    /** Cleans up after the node has stopped. */
    protected void afterStop() {
    }

    @BeforeAll
    void start() {
        node = AnnalsNode.start(NodeConfig.ephemeral(store()).withSettings(Map.of("store-api.heartbeat", "200ms")));
        client = new NodeClient(node.baseUri());
    }

    @AfterAll
    void stop() {
        node.stop();
        afterStop();
    }

    private String tag(String key, String value) {
        return key + ":" + value + "-" + run;
    }

    private static String event(String type, String... tags) {
        var quoted = new ArrayList<String>();
        for (String tag : tags) {
            quoted.add("\"" + tag + "\"");
        }
        return "{\"type\":\"" + type + "\",\"data\":{},\"tags\":[" + String.join(",", quoted) + "]}";
    }

    private static String item(List<String> types, List<String> tags) {
        return "{\"types\":[" + String.join(",", types.stream().map(t -> "\"" + t + "\"").toList()) + "],"
                + "\"tags\":[" + String.join(",", tags.stream().map(t -> "\"" + t + "\"").toList()) + "]}";
    }

    private static String query(String... items) {
        return "{\"items\":[" + String.join(",", items) + "]}";
    }

    private static String param(String query) {
        return URLEncoder.encode(query, StandardCharsets.UTF_8);
    }

    private String append(String stream, String... events) {
        var response = client.post("/api/streams/" + stream + "-" + run, "[" + String.join(",", events) + "]");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("position").asText();
    }

    private NodeClient.Response appendIf(String stream, String query, String after, String... events) {
        String condition = "{\"query\":" + query + (after == null ? "" : ",\"after\":\"" + after + "\"") + "}";
        return client.post("/api/streams/" + stream + "-" + run,
                "{\"events\":[" + String.join(",", events) + "],\"condition\":" + condition + "}");
    }

    private static List<String> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.get("eventId").asText()).toList();
    }

    @Test
    void readsByQueryInGlobalOrderPageByPageAndNextIsWhereTheReadScannedTo() {
        String course = tag("course", "c1");
        String q = query(item(List.of("Subscribed", "Left"), List.of(course)));
        append("course", event("Subscribed", course, tag("student", "s1")), event("Renamed", course));
        append("other", event("Subscribed", tag("course", "c2")));
        append("course", event("Left", course), event("Subscribed", course));
        String lastNoise = append("other", event("Subscribed", tag("course", "c2")));

        var events = new ArrayList<JsonNode>();
        String after = "";
        String next;
        while (true) {
            JsonNode page = client.get("/api/events/query?limit=2&query=" + param(q) + (after.isEmpty() ? "" : "&after=" + after)).json();
            page.get("events").forEach(events::add);
            next = page.get("next").asText();
            if (page.get("events").size() < 2) {
                break;
            }
            after = next;
        }
        assertThat(events).extracting(e -> e.get("type").asText()).containsExactly("Subscribed", "Left", "Subscribed");
        assertThat(events).allSatisfy(e -> assertThat(e.get("tags").toString()).contains(course));
        for (int i = 1; i < events.size(); i++) {
            assertThat(Position.parse(events.get(i).get("position").asText()))
                    .isGreaterThan(Position.parse(events.get(i - 1).get("position").asText()));
        }
        // the read looked past the last match, up to the noise after it
        assertThat(Position.parse(next)).isGreaterThanOrEqualTo(Position.parse(lastNoise));
        assertThat(Position.parse(next)).isGreaterThan(Position.parse(events.getLast().get("position").asText()));
    }

    @Test
    void aConditionalAppendIsRefusedWith409NamingTheConflictAndWritesNothing() {
        String email = tag("email", "ada@example.com");
        String emailTaken = query(item(List.of("UserRegistered"), List.of(email)));
        JsonNode decided = client.get("/api/events/query?query=" + param(emailTaken)).json();
        assertThat(decided.get("events")).isEmpty();
        String readTo = decided.get("next").asText();

        var first = appendIf("user-1", emailTaken, readTo, event("UserRegistered", email));
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        String firstPosition = first.json().get("position").asText();

        var second = appendIf("user-2", emailTaken, readTo, event("UserRegistered", email));
        NodeClient.assertProblem(second, 409);
        JsonNode problem = second.json();
        assertThat(problem.get("title").asText()).isEqualTo("Append Condition Failed");
        assertThat(problem.get("conflictingPosition").asText()).isEqualTo(firstPosition);
        assertThat(problem.get("condition").get("after").asText()).isEqualTo(readTo);
        assertThat(problem.get("condition").get("query").get("items").get(0).get("tags").get(0).asText()).isEqualTo(email);
        NodeClient.assertProblem(client.get("/api/streams/user-2-" + run), 404);

        // decided again on what is there now, the condition holds
        var third = appendIf("user-2", emailTaken, firstPosition, event("UserRenamed", tag("user", "u2")));
        assertThat(third.status()).as(third.body()).isEqualTo(201);
        var withoutAfter = appendIf("user-3", emailTaken, null, event("UserRegistered", email));
        NodeClient.assertProblem(withoutAfter, 409);
    }

    @Test
    void ofSixteenConcurrentRegistrationsOfOneEmailOverHttpExactlyOneIsWritten() throws Exception {
        String email = tag("email", "race@example.com");
        String emailTaken = query(item(List.of(), List.of(email)));
        int clients = 16;
        var start = new CountDownLatch(1);
        var statuses = new ArrayList<Future<Integer>>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                int n = i;
                statuses.add(executor.submit(() -> {
                    start.await();
                    return appendIf("racer-" + n, emailTaken, null, event("UserRegistered", email)).status();
                }));
            }
            start.countDown();
            var counts = new ArrayList<Integer>();
            for (Future<Integer> status : statuses) {
                counts.add(status.get());
            }
            assertThat(counts).containsOnly(201, 409);
            assertThat(counts).filteredOn(s -> s == 201).hasSize(1);
        }
        JsonNode recorded = client.get("/api/events/query?query=" + param(emailTaken)).json().get("events");
        assertThat(recorded).hasSize(1);
    }

    @Test
    void subscribesByQueryOverSseHistoryThenLiveAndResumesAfterLastEventId() throws IOException {
        String room = tag("room", "r1");
        String q = query(item(List.of(), List.of(room)));
        append("rooms", event("Booked", room), event("Booked", tag("room", "r2")));
        try (var follower = new SseFollower(client, "/api/events/query/stream?query=" + param(q))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> follower.messages().size() == 1);
            append("rooms", event("Cleaned", tag("room", "r2")), event("Cleaned", room), event("Booked", room));
            await().atMost(Duration.ofSeconds(20)).until(() -> follower.messages().size() >= 3);

            List<JsonNode> recorded = readByQuery(q);
            assertThat(follower.messages()).extracting(SseFollower.Message::event).containsExactly("Booked", "Cleaned", "Booked");
            assertThat(follower.messages()).extracting(SseFollower.Message::id)
                    .containsExactlyElementsOf(recorded.stream().map(e -> e.get("position").asText()).toList());
            for (int i = 0; i < recorded.size(); i++) {
                assertThat(NodeClient.MAPPER.readTree(follower.messages().get(i).data())).isEqualTo(recorded.get(i));
            }

            String afterFirst = follower.messages().getFirst().id();
            try (var resumed = new SseFollower(client, "/api/events/query/stream?query=" + param(q), "Last-Event-ID", afterFirst)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> resumed.messages().size() >= 2);
                assertThat(ids(resumed.messages().stream().map(m -> read(m.data())).toList()))
                        .containsExactlyElementsOf(ids(recorded.subList(1, 3)));
            }
        }
    }

    private List<JsonNode> readByQuery(String q) {
        var events = new ArrayList<JsonNode>();
        client.get("/api/events/query?limit=1000&query=" + param(q)).json().get("events").forEach(events::add);
        return events;
    }

    private static JsonNode read(String json) {
        try {
            return NodeClient.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void badTagsQueriesAndConditionsAre400ProblemsAndWriteNothing() {
        String good = query(item(List.of("A"), List.of()));
        for (String path : List.of("/api/events/query", "/api/events/query/stream")) {
            NodeClient.assertProblem(client.get(path), 400);
            for (String bad : List.of("{", "[]", "{\"items\":[]}", "{\"items\":[{}]}", "{\"items\":[{\"tags\":[\"novalue\"]}]}",
                    "{\"items\":[{\"tags\":[\"bad key:v\"]}]}", "{\"items\":[{\"types\":[\"\"]}]}", "{\"itemz\":[]}",
                    good + " {}")) {
                var response = client.get(path + "?query=" + param(bad));
                NodeClient.assertProblem(response, 400);
                assertThat(response.json().get("detail").asText()).as(bad).contains("query");
            }
            NodeClient.assertProblem(client.get(path + "?query=" + param(good) + "&after=nonsense"), 400);
        }
        NodeClient.assertProblem(client.get("/api/events/query?query=" + param(good) + "&limit=0"), 400);

        NodeClient.assertProblem(client.post("/api/streams/bad-" + run, "[" + event("A", "no value") + "]"), 400);
        NodeClient.assertProblem(appendIf("bad", "{\"items\":[]}", null, event("A")), 400);
        NodeClient.assertProblem(appendIf("bad", good, "nonsense", event("A")), 400);
        // a position the store has not reached
        var unreached = appendIf("bad", good, new Position(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2).toString(), event("A"));
        NodeClient.assertProblem(unreached, 400);
        NodeClient.assertProblem(client.post("/api/streams/bad-" + run, "{\"events\":[" + event("A") + "],\"if\":{}}"), 400);
        NodeClient.assertProblem(client.get("/api/streams/bad-" + run), 404);
    }
}
