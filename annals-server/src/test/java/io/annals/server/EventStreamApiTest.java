package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.server.store.StoreSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventStreamApiTest {

    private AnnalsNode node;
    private NodeClient client;

    @BeforeAll
    void start() {
        node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()).withSettings(Map.of("store-api.heartbeat", "200ms")));
        client = new NodeClient(node.baseUri());
    }

    @AfterAll
    void stop() {
        node.stop();
    }

    @Test
    void deliversHistoryThenLiveEventsWithPositionIdsAndTypeNames() {
        client.post("/api/streams/sse1-a", "[{\"type\":\"First\",\"data\":{\"n\":1}}]");
        try (var follower = new SseFollower(client, "/api/events/stream?streamPrefix=sse1-")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> follower.messages().size() == 1);
            client.post("/api/streams/sse1-b", "[{\"type\":\"Second\",\"data\":{\"n\":2}},{\"type\":\"Third\",\"data\":{\"n\":3}}]");

            await().atMost(Duration.ofSeconds(10)).until(() -> follower.messages().size() == 3);
            var messages = follower.messages();
            assertThat(messages).extracting(SseFollower.Message::event).containsExactly("First", "Second", "Third");
            var recorded = client.get("/api/events?streamPrefix=sse1-").json().get("events");
            for (int i = 0; i < 3; i++) {
                assertThat(messages.get(i).id()).isEqualTo(recorded.get(i).get("position").asText());
                assertThat(NodeClient.MAPPER.readTree(messages.get(i).data())).isEqualTo(recorded.get(i));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void resumesAfterLastEventIdWhichTakesPrecedenceOverAfter() {
        client.post("/api/streams/sse2-a", "[{\"type\":\"A\",\"data\":{}},{\"type\":\"B\",\"data\":{}},{\"type\":\"C\",\"data\":{}}]");
        var recorded = client.get("/api/events?streamPrefix=sse2-").json().get("events");
        String afterFirst = recorded.get(0).get("position").asText();

        try (var follower = new SseFollower(client, "/api/events/stream?streamPrefix=sse2-&after=" + afterFirst,
                "Last-Event-ID", recorded.get(1).get("position").asText())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !follower.messages().isEmpty());
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> follower.messages().size() == 1);
            assertThat(follower.messages().getFirst().event()).isEqualTo("C");
        }
    }

    @Test
    void storedLineBreaksCannotForgeOrSplitMessages() throws Exception {
        // written through the library, not HTTP: the store accepts any JSON layout and type text
        node.store().append(io.annals.event.StreamId.of("sse4-a"), io.annals.store.ExpectedVersion.any(), java.util.List.of(
                io.annals.event.EventData.of("Odd\nevent: Forged\ndata: {}", "{\n  \"a\": 1,\r\n  \"b\": [\n2]\n}")));

        try (var follower = new SseFollower(client, "/api/events/stream?streamPrefix=sse4-")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> follower.messages().size() == 1);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> follower.messages().size() == 1);
            var message = follower.messages().getFirst();
            assertThat(message.event()).isEqualTo("Odd event: Forged data: {}");
            var event = NodeClient.MAPPER.readTree(message.data());
            assertThat(event.get("type").asText()).isEqualTo("Odd\nevent: Forged\ndata: {}");
            assertThat(event.get("data").get("b").get(0).asInt()).isEqualTo(2);
        }
    }

    @Test
    void sendsHeartbeatsWhileIdle() {
        try (var follower = new SseFollower(client, "/api/events/stream?streamPrefix=nothing-here-")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> follower.comments() >= 3);
            assertThat(follower.messages()).isEmpty();
            assertThat(follower.status()).isEqualTo(200);
        }
    }

    @Test
    void aBadStartPositionIsABadRequestNotAStream() {
        var response = client.get("/api/events/stream?after=zzz");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aClientThatLeavesReleasesItsSubscription() {
        // the streams of earlier tests end at their next heartbeat; count from none, or their end would be counted as this one's
        await().atMost(Duration.ofSeconds(10)).until(() -> openStreams() == 0);
        var follower = new SseFollower(client, "/api/events/stream?streamPrefix=sse3-");
        await().atMost(Duration.ofSeconds(10)).until(() -> follower.comments() >= 1);
        assertThat(openStreams()).isEqualTo(1);

        follower.close();

        // the node notices at its next write (a heartbeat at the latest)
        await().atMost(Duration.ofSeconds(10)).until(() -> openStreams() == 0);
    }

    private int openStreams() {
        return client.get("/health").json().get("subscriptions").get("open").asInt();
    }
}
