package io.annals.server;

import static io.annals.server.NodeClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.server.http.ApiKeys;
import io.annals.server.store.StoreSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One stream's live tail, categories, a stream's version, and event streams a browser can open with keys (issue 12). */
class LiveTailTest {

    private static final String EVENT = "[{\"type\":\"A\",\"data\":{}}]";

    @Test
    void aStreamsVersionIsReadWithoutItsEvents() {
        try (var node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()))) {
            var client = new NodeClient(node.baseUri());
            client.post("/api/streams/v-1", "[{\"type\":\"A\",\"data\":{}},{\"type\":\"B\",\"data\":{}},{\"type\":\"C\",\"data\":{}}]");
            var version = client.get("/api/streams/v-1/version");
            assertThat(version.status()).isEqualTo(200);
            assertThat(version.json().get("version").asLong()).isEqualTo(2);
            assertThat(version.json().get("streamId").asText()).isEqualTo("v-1");

            assertProblem(client.get("/api/streams/v-2/version"), 404);
            client.post("/api/streams/v-3", EVENT);
            client.delete("/api/streams/v-3?hard=true");
            assertProblem(client.get("/api/streams/v-3/version"), 410);
        }
    }

    @Test
    void aStreamsLiveTailCarriesThatStreamOnlyWithVersionsAsIds() {
        try (var node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()))) {
            var client = new NodeClient(node.baseUri());
            client.post("/api/streams/order-1", EVENT);
            client.post("/api/streams/order-10", EVENT);
            try (var follower = new SseFollower(client, "/api/streams/order-1/live");
                 var resumed = new SseFollower(client, "/api/streams/order-1/live", "Last-Event-ID", "0")) {
                await().atMost(Duration.ofSeconds(10)).until(() -> follower.messages().size() == 1);
                client.post("/api/streams/order-10", EVENT);
                client.post("/api/streams/order-1", "[{\"type\":\"B\",\"data\":{}}]");
                await().atMost(Duration.ofSeconds(10)).until(() -> follower.messages().size() == 2);
                await().atMost(Duration.ofSeconds(10)).until(() -> resumed.messages().size() == 1);

                assertThat(follower.messages()).extracting(SseFollower.Message::id).containsExactly("0", "1");
                assertThat(follower.messages()).extracting(SseFollower.Message::event).containsExactly("A", "B");
                assertThat(follower.messages()).allSatisfy(m -> assertThat(m.data()).contains("\"streamId\":\"order-1\""));
                assertThat(resumed.messages()).extracting(SseFollower.Message::id).containsExactly("1");
            }
            assertProblem(client.get("/api/streams/order-1/live?after=x"), 400);
        }
    }

    @Test
    void aCategoryIsTheStreamIdBeforeItsFirstDash() {
        try (var node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()))) {
            var client = new NodeClient(node.baseUri());
            for (String stream : new String[] {"order-1", "order-10", "orders-1", "order"}) {
                client.post("/api/streams/" + stream, EVENT);
            }
            var page = client.get("/api/events?category=order").json().get("events");
            assertThat(page).extracting(event -> event.get("streamId").asText()).containsExactly("order-1", "order-10");

            assertProblem(client.get("/api/events?category=order&streamPrefix=order-"), 400);
            assertProblem(client.get("/api/events?category=order-1"), 400);
            assertProblem(client.get("/api/events/stream?category=a%20b"), 400);
        }
    }

    @Test
    void aBrowserOpensAnEventStreamWithAShortLivedTokenInsteadOfAKeyInTheUrl() {
        var config = NodeConfig.ephemeral(new StoreSettings.InMemory()).withKeys(ApiKeys.of("user-secret", "admin-secret"));
        try (var node = AnnalsNode.start(config)) {
            var anonymous = new NodeClient(node.baseUri());
            anonymous.withKey("admin-secret").post("/api/streams/t-1", EVENT);
            assertProblem(anonymous.post("/api/stream-tokens", ""), 401);
            var minted = anonymous.withKey("user-secret").post("/api/stream-tokens", "");
            assertThat(minted.status()).isEqualTo(200);
            String token = minted.json().get("token").asText();
            assertThat(token).doesNotContain("user-secret");
            assertThat(minted.json().get("expiresIn").asLong()).isPositive().isLessThanOrEqualTo(300);

            try (var browser = new SseFollower(anonymous, "/api/events/stream?access_token=" + token);
                 var tail = new SseFollower(anonymous, "/api/streams/t-1/live?access_token=" + token)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> browser.messages().size() == 1 && tail.messages().size() == 1);
                assertThat(browser.status()).isEqualTo(200);
            }
            // the token opens event streams only, and only as it was signed
            assertProblem(anonymous.get("/api/events?access_token=" + token), 401);
            assertProblem(anonymous.send(anonymous.request("/api/events/stream?access_token=" + token.replace('.', 'x'))
                    .header("Accept", "text/event-stream").GET().build()), 401);
            assertProblem(anonymous.send(anonymous.request("/api/streams/t-1?access_token=" + token)
                    .header("Accept", "text/event-stream").DELETE().build()), 401);
        }
    }
}
