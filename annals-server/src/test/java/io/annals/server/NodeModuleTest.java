package io.annals.server;

import static io.annals.server.NodeClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.event.EventData;
import io.annals.event.StreamId;
import io.annals.node.ApiProblem;
import io.annals.node.HealthCheck.Health;
import io.annals.node.NodeContext;
import io.annals.node.NodeModule;
import io.annals.node.QueryParams;
import io.annals.node.Role;
import io.annals.server.http.ApiKeys;
import io.annals.server.http.StoreApiModule;
import io.annals.server.store.StoreSettings;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import io.annals.store.inmemory.InMemoryEventStore;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A module's routes are served like the node's own: the role each declares is enforced, failures
 * become problem documents, requests are metered under the route's template; a route cannot take
 * another's place, and the module's settings, health check and hooks reach it.
 */
class NodeModuleTest {

    private static final String USER_KEY = "user-secret";
    private static final String ADMIN_KEY = "admin-secret";

    /** Orders kept as events: a write for admins, reads for users, a public summary. */
    private static final class OrdersModule implements NodeModule {

        record PlaceOrder(String id, int amount) {
        }

        final List<String> lifecycle = new CopyOnWriteArrayList<>();
        final AtomicBoolean healthy = new AtomicBoolean(true);

        @Override
        public String name() {
            return "orders";
        }

        @Override
        public void install(NodeContext node) {
            String currency = node.settings().get("currency", "EUR");
            node.routes().post("/orders", Role.ADMIN, ctx -> {
                PlaceOrder order = node.bodies().readJson(ctx, PlaceOrder.class);
                if (order.amount() <= 0) {
                    throw ApiProblem.badRequest("amount must be positive");
                }
                // a second order with the same id is the store's conflict, answered as the store API answers it
                node.store().append(StreamId.of("order-" + order.id()), ExpectedVersion.noStream(),
                        List.of(EventData.of("OrderPlaced", "{\"amount\":" + order.amount() + "}")));
                node.json().send(ctx, 201, Map.of("id", order.id(), "currency", currency));
            });
            node.routes().get("/orders/{orderId}", Role.USER, ctx -> {
                var events = node.store().readStream(QueryParams.streamId("order-" + ctx.pathParam("orderId")), 0,
                        ReadDirection.FORWARD, 10);
                if (events.isEmpty()) {
                    throw ApiProblem.notFound("no order " + ctx.pathParam("orderId"));
                }
                node.json().send(ctx, 200, Map.of("events", events.size()));
            });
            // registered after the parameter route, and still not hidden by it
            node.routes().get("/orders/summary", Role.PUBLIC, ctx -> node.json().send(ctx, 200, Map.of("currency", currency)));
            node.routes().get("/orders/{orderId}/fail", Role.USER, ctx -> {
                throw new IllegalStateException("secret internals of " + ctx.pathParam("orderId"));
            });
            node.healthCheck("orders", () -> healthy.get() ? Health.up(Map.of("currency", currency)) : Health.down(Map.of()));
            node.onStart(() -> lifecycle.add("start"));
            node.onStopping(() -> lifecycle.add("stopping"));
            node.onStop(() -> lifecycle.add("stop, store closed: " + ((ClosingStore) node.store()).closed.get()));
        }
    }

    /** The in-memory store, noting when it is closed. */
    private static final class ClosingStore extends ForwardingStore {
        final AtomicBoolean closed = new AtomicBoolean();

        ClosingStore() {
            super(new InMemoryEventStore());
        }

        @Override
        public void close() {
            closed.set(true);
            super.close();
        }
    }

    private static NodeConfig keyed() {
        return NodeConfig.ephemeral(new StoreSettings.InMemory()).withKeys(ApiKeys.of(USER_KEY, ADMIN_KEY))
                .withSettings(Map.of("orders.currency", "CHF"));
    }

    @Test
    void aModuleRouteGetsRolesProblemsAndMetricsLikeTheStoreApi() {
        var orders = new OrdersModule();
        try (var node = AnnalsNode.start(keyed(), new ClosingStore(), List.of(new StoreApiModule(), orders))) {
            var anonymous = new NodeClient(node.baseUri());
            var user = anonymous.withKey(USER_KEY);
            var admin = anonymous.withKey(ADMIN_KEY);
            String order = "{\"id\":\"o-1\",\"amount\":5}";

            var unauthenticated = anonymous.post("/orders", order);
            assertProblem(unauthenticated, 401);
            var forbidden = user.post("/orders", order);
            assertProblem(forbidden, 403);
            assertThat(forbidden.json().get("required").asText()).isEqualTo("admin");
            assertProblem(anonymous.get("/orders/o-1"), 401);
            assertThat(anonymous.send(anonymous.request("/orders/o-1").HEAD().build()).status()).isEqualTo(401);

            var created = admin.post("/orders", order);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(created.json().get("currency").asText()).isEqualTo("CHF");
            assertThat(user.get("/orders/o-1").json().get("events").asInt()).isEqualTo(1);
            assertThat(user.send(user.request("/orders/o-1").HEAD().build()).status()).isEqualTo(200);
            assertThat(anonymous.get("/orders/summary").json().get("currency").asText()).isEqualTo("CHF");

            var conflict = admin.post("/orders", order);
            assertProblem(conflict, 409);
            assertThat(conflict.json().get("streamId").asText()).isEqualTo("order-o-1");
            assertProblem(admin.post("/orders", "{\"id\":\"o-2\",\"amount\":0}"), 400);
            var malformed = admin.post("/orders", "{\"id\":\"o-2\",");
            assertProblem(malformed, 400);
            assertThat(malformed.json().get("detail").asText()).startsWith("malformed JSON");
            assertProblem(admin.post("/orders", "{\"id\":\"o-2\",\"amount\":\"many\"}"), 400);
            assertProblem(user.get("/orders/o-9"), 404);
            var failure = user.get("/orders/o-1/fail");
            assertProblem(failure, 500);
            assertThat(failure.json().get("errorId").asText()).isNotBlank();
            assertThat(failure.body()).doesNotContain("secret", "IllegalStateException");

            assertThat(anonymous.get("/metrics").body())
                    .contains("http_server_requests_seconds_count{method=\"POST\",route=\"/orders\",status=\"401\"} 1")
                    .contains("http_server_requests_seconds_count{method=\"POST\",route=\"/orders\",status=\"403\"} 1")
                    .contains("http_server_requests_seconds_count{method=\"POST\",route=\"/orders\",status=\"201\"} 1")
                    .contains("http_server_requests_seconds_count{method=\"POST\",route=\"/orders\",status=\"409\"} 1")
                    .contains("http_server_requests_seconds_count{method=\"GET\",route=\"/orders/{orderId}\",status=\"404\"} 1")
                    .contains("http_server_requests_seconds_count{method=\"HEAD\",route=\"/orders/{orderId}\",status=\"401\"} 1")
                    .contains("http_server_requests_seconds_count{method=\"GET\",route=\"/orders/summary\",status=\"200\"} 1")
                    .contains("http_server_requests_seconds_count{method=\"GET\",route=\"/orders/{orderId}/fail\",status=\"500\"} 1");
            assertThat(node.routes()).contains(
                    new AnnalsNode.Route("POST", "/orders", Role.ADMIN, "module orders"),
                    new AnnalsNode.Route("GET", "/orders/summary", Role.PUBLIC, "module orders"),
                    new AnnalsNode.Route("POST", "/api/streams/{streamId}", Role.ADMIN, "module store-api"),
                    new AnnalsNode.Route("GET", "/health", Role.PUBLIC, "node"));
        }
    }

    @Test
    void aModuleHealthCheckIsPartOfTheNodesHealth() {
        var orders = new OrdersModule();
        try (var node = AnnalsNode.start(keyed(), new ClosingStore(), List.of(orders))) {
            var client = new NodeClient(node.baseUri());
            var up = client.get("/health");
            assertThat(up.status()).isEqualTo(200);
            assertThat(up.json().get("orders").get("status").asText()).isEqualTo("UP");
            assertThat(up.json().get("orders").get("currency").asText()).isEqualTo("CHF");

            orders.healthy.set(false);

            var down = client.get("/health");
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.json().get("status").asText()).isEqualTo("DOWN");
            assertThat(down.json().get("store").get("status").asText()).isEqualTo("UP");
        }
    }

    @Test
    void hooksRunAroundTheNodesLifeWhileTheStoreIsOpen() {
        var orders = new OrdersModule();
        var store = new ClosingStore();
        var node = AnnalsNode.start(keyed(), store, List.of(orders));
        assertThat(orders.lifecycle).containsExactly("start");
        assertThat(new NodeClient(node.baseUri(), ADMIN_KEY).post("/orders", "{\"id\":\"o-1\",\"amount\":5}").status())
                .isEqualTo(201);

        node.stop();

        assertThat(orders.lifecycle).containsExactly("start", "stopping", "stop, store closed: false");
        assertThat(store.closed).isTrue();
    }

    @Test
    void aRouteOfTheSameMethodAndShapeAsAnotherIsRefusedAtStart() {
        var store = new InMemoryEventStore();
        NodeModule shadow = TestModules.of("shadow", node -> node.routes().post("/api/streams/{id}", Role.PUBLIC,
                ctx -> ctx.status(201)));

        assertThatThrownBy(() -> AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()), store,
                List.of(new StoreApiModule(), shadow)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("POST /api/streams/{id} of module shadow")
                .hasMessageContaining("POST /api/streams/{streamId} by module store-api");
        NodeModule health = TestModules.of("health", node -> node.routes().get("/health", Role.ADMIN, ctx -> ctx.status(200)));
        assertThatThrownBy(() -> AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()), new InMemoryEventStore(),
                List.of(health)))
                .hasMessageContaining("GET /health by node");
        NodeModule twice = TestModules.of("twice", node -> {
            node.routes().get("/twice/{a}", Role.USER, ctx -> ctx.status(200));
            node.routes().get("/twice/{b}", Role.ADMIN, ctx -> ctx.status(200));
        });
        assertThatThrownBy(() -> AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()), new InMemoryEventStore(),
                List.of(twice)))
                .hasMessageContaining("GET /twice/{b} of module twice is already served as GET /twice/{a} by module twice");
    }

    @Test
    void aFailedStartStopsTheModulesThatStartedAndRegistrationEndsWithInstall() {
        var orders = new OrdersModule();
        NodeModule failing = TestModules.of("failing", node -> node.onStart(() -> {
            throw new IllegalStateException("cannot start");
        }));
        var store = new ClosingStore();
        assertThatThrownBy(() -> AnnalsNode.start(keyed(), store, List.of(orders, failing)))
                .hasMessage("cannot start");
        assertThat(orders.lifecycle).containsExactly("start", "stop, store closed: false");
        assertThat(store.closed).isTrue();

        var late = new java.util.concurrent.atomic.AtomicReference<NodeContext>();
        try (var node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()), new InMemoryEventStore(),
                List.of(TestModules.of("late", late::set)))) {
            assertThatThrownBy(() -> late.get().routes().get("/late", Role.PUBLIC, ctx -> ctx.status(200)))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> late.get().onStop(() -> { }))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(new NodeClient(node.baseUri()).get("/late").status()).isEqualTo(404);
        }
    }

    @Test
    void modulesAreNamedByConfigurationAndAnUnknownNameIsRefused() {
        try (var node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()).withModules(List.of()))) {
            var client = new NodeClient(node.baseUri());
            assertProblem(client.get("/api/events"), 404);
            assertThat(client.get("/health").status()).isEqualTo(200);
        }
        assertThatThrownBy(() -> AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory())
                .withModules(List.of("store-api", "no-such-module"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-module")
                .hasMessageContaining("available: cep, dashboard, kafka, projections, store-api");
        assertThatThrownBy(() -> AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory())
                .withSettings(Map.of("store-api.heartbeat", "soon"))))
                .hasMessageContaining("store-api.heartbeat");
    }
}
