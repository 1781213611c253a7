package io.annals.server;

import static io.annals.server.NodeClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.dashboard.DashboardModule;
import io.annals.examples.user.UserDecider;
import io.annals.examples.user.UserEvent;
import io.annals.examples.user.UserModule;
import io.annals.node.NodeContext;
import io.annals.node.NodeModule;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.EventTypeRegistry;
import io.annals.server.http.ApiKeys;
import io.annals.server.http.StoreApiModule;
import io.annals.server.store.StoreSettings;
import io.annals.store.inmemory.InMemoryEventStore;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code dashboard} module over HTTP: its files (content types, caching, nothing outside
 * them), the states of a stream at each version (a registered decider's, else merged data),
 * the head, the metrics history, and keys.
 */
class DashboardModuleTest {

    /** What a module keeping user streams does: registers its decider for their category. */
    static final class UserStates implements NodeModule {
        @Override
        public String name() {
            return "user-states";
        }

        @Override
        public void install(NodeContext node) {
            node.streamStates().register(UserModule.CATEGORY, new UserDecider(), UserEvent.class,
                    new EventSerializer(UserModule.register(new EventTypeRegistry())));
        }
    }

    private static AnnalsNode start(NodeConfig config) {
        return AnnalsNode.start(config.withSettings(Map.of("dashboard.sample-interval", "100ms")), new InMemoryEventStore(),
                List.of(new StoreApiModule(), new DashboardModule(), new UserStates()));
    }

    private static HttpResponse<String> raw(NodeClient client, String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = client.request(path).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesItsFilesWithTheirTypesAndValidatorsAndNothingElse() throws Exception {
        try (var node = start(NodeConfig.ephemeral(new StoreSettings.InMemory()))) {
            var client = new NodeClient(node.baseUri());
            var page = raw(client, "/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
            assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");
            assertThat(page.body()).contains("<script type=\"module\" src=\"/ui/dashboard.js\">");
            String etag = page.headers().firstValue("ETag").orElseThrow();
            assertThat(etag).startsWith("\"");

            var again = raw(client, "/", "If-None-Match", etag);
            assertThat(again.statusCode()).isEqualTo(304);
            assertThat(again.body()).isEmpty();

            var script = raw(client, "/ui/dashboard.js");
            assertThat(script.statusCode()).isEqualTo(200);
            assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript;charset=utf-8");
            assertThat(script.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(script.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(etag);
            assertThat(raw(client, "/ui/dashboard.css").headers().firstValue("Content-Type")).hasValue("text/css;charset=utf-8");
            assertThat(raw(client, "/ui/favicon.svg").headers().firstValue("Content-Type")).hasValue("image/svg+xml");

            for (String outside : List.of("/ui/nothing.js", "/ui/..%2Fdashboard.js", "/ui/..%2F..%2FDashboardModule.class",
                    "/ui/%2e%2e", "/ui/..%5Cindex.html", "/ui/META-INF%2Fservices%2Fio.annals.node.NodeModule",
                    "/ui/io%2Fannals%2Fdashboard%2Fui%2Findex.html")) {
                var response = client.get(outside);
                assertThat(response.status()).as(outside).isIn(400, 404);
                assertProblem(response, response.status());
            }
            assertThat(client.get("/ui/ui/dashboard.js").status()).isEqualTo(404);
        }
    }

    @Test
    void foldsAStreamWithItsRegisteredDeciderAndAnyOtherByMergingItsData() {
        try (var node = start(NodeConfig.ephemeral(new StoreSettings.InMemory()))) {
            var client = new NodeClient(node.baseUri());
            assertThat(client.post("/api/streams/order-1", """
                    [{"type":"Placed","data":{"id":"1","total":10,"lines":{"a":1}}},
                     {"type":"Paid","data":{"paid":true,"total":12}},
                     {"type":"Noted","data":["not","an","object"]}]""").status()).isEqualTo(201);
            JsonNode order = client.get("/api/dashboard/streams/order-1/states").json();
            assertThat(order.get("fold").asText()).isEqualTo("merge");
            assertThat(order.get("truncated").asBoolean()).isFalse();
            JsonNode versions = order.get("versions");
            assertThat(versions).hasSize(3);
            assertThat(versions.get(0).get("state").toString()).isEqualTo("{\"id\":\"1\",\"total\":10,\"lines\":{\"a\":1}}");
            assertThat(versions.get(1).get("state").toString()).isEqualTo("{\"id\":\"1\",\"total\":12,\"lines\":{\"a\":1},\"paid\":true}");
            assertThat(versions.get(2).get("state")).isEqualTo(versions.get(1).get("state"));
            assertThat(versions.get(1).get("type").asText()).isEqualTo("Paid");
            assertThat(versions.get(1).get("data").get("total").asInt()).isEqualTo(12);

            assertThat(client.post("/api/streams/user-ada", """
                    [{"type":"UserRegistered","data":{"userId":"ada","email":"ada@example.com","name":"Ada"}},
                     {"type":"UserEmailChanged","data":{"userId":"ada","oldEmail":"ada@example.com","newEmail":"ada@lovelace.org"}}]""")
                    .status()).isEqualTo(201);
            JsonNode user = client.get("/api/dashboard/streams/user-ada/states").json();
            assertThat(user.get("fold").asText()).isEqualTo("decider");
            assertThat(user.get("folder").asText()).isEqualTo(UserDecider.class.getName());
            assertThat(user.get("versions").get(0).get("state").get("email").asText()).isEqualTo("ada@example.com");
            assertThat(user.get("versions").get(1).get("state").get("email").asText()).isEqualTo("ada@lovelace.org");

            assertThat(client.post("/api/streams/user-bob", "[{\"type\":\"Unheard\",\"data\":{\"x\":1}}]").status()).isEqualTo(201);
            JsonNode bob = client.get("/api/dashboard/streams/user-bob/states").json();
            assertThat(bob.get("fold").asText()).isEqualTo("merge");
            assertThat(bob.get("note").asText()).contains("version 0 (Unheard)");

            assertProblem(client.get("/api/dashboard/streams/nobody/states"), 404);
            assertProblem(client.get("/api/dashboard/streams/-bad/states"), 400);
            assertThat(client.delete("/api/streams/order-1?hard=true").status()).isEqualTo(204);
            assertProblem(client.get("/api/dashboard/streams/order-1/states"), 410);
        }
    }

    @Test
    void theHeadIsTheLastEventAndTheMetricsCountEventsAndRequests() {
        try (var node = start(NodeConfig.ephemeral(new StoreSettings.InMemory()))) {
            var client = new NodeClient(node.baseUri());
            var appended = client.post("/api/streams/order-1", "[{\"type\":\"Placed\",\"data\":{}},{\"type\":\"Paid\",\"data\":{}}]");
            assertThat(client.get("/api/dashboard/head").json().get("position").asText())
                    .isEqualTo(appended.json().get("position").asText());

            await().atMost(Duration.ofSeconds(10)).until(() -> {
                JsonNode samples = client.get("/api/dashboard/metrics").json().get("samples");
                double events = 0;
                double requests = 0;
                boolean latency = false;
                for (JsonNode sample : samples) {
                    events += sample.get("eventsPerSecond").asDouble();
                    requests += sample.get("requestsPerSecond").asDouble();
                    latency |= sample.get("appendMeanMillis").isNumber() && sample.get("requestMeanMillis").isNumber()
                            && sample.get("deliveryMeanMillis").isNumber() && sample.get("deliveryMaxMillis").asDouble() >= 0;
                }
                return events > 0 && requests > 0 && latency;
            });
        }
    }

    @Test
    void withKeysThePageIsPublicItsDataNeedsAKeyAndTheSessionNamesTheKeysRole() {
        try (var node = start(NodeConfig.ephemeral(new StoreSettings.InMemory()).withKeys(ApiKeys.of("reader", "writer")))) {
            var anonymous = new NodeClient(node.baseUri());
            assertThat(anonymous.get("/").status()).isEqualTo(200);
            assertThat(anonymous.get("/ui/dashboard.js").status()).isEqualTo(200);
            assertProblem(anonymous.get("/api/dashboard/metrics"), 401);
            assertProblem(anonymous.get("/api/dashboard/head"), 401);
            assertProblem(anonymous.get("/api/dashboard/streams/order-1/states"), 401);
            assertThat(anonymous.withKey("reader").get("/api/dashboard/metrics").status()).isEqualTo(200);

            assertThat(anonymous.get("/api/dashboard/session").json().get("role").asText()).isEqualTo("public");
            assertThat(anonymous.withKey("unknown").get("/api/dashboard/session").json().get("role").asText()).isEqualTo("public");
            assertThat(anonymous.withKey("reader").get("/api/dashboard/session").json().get("role").asText()).isEqualTo("user");
            assertThat(anonymous.withKey("writer").get("/api/dashboard/session").json().get("role").asText()).isEqualTo("admin");
        }
        try (var node = start(NodeConfig.ephemeral(new StoreSettings.InMemory()))) {
            assertThat(new NodeClient(node.baseUri()).get("/api/dashboard/session").json().get("role").asText()).isEqualTo("admin");
        }
    }
}
