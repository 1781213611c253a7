package io.annals.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.event.StreamId;
import io.annals.sagas.SagaDefinition;
import io.annals.sagas.SagaEngine;
import io.annals.sagas.SagaStatus;
import io.annals.sagas.Step;
import io.annals.sagas.node.SagasModule;
import io.annals.sagas.outbox.OutboxMessage;
import io.annals.sagas.outbox.OutboxRelay;
import io.annals.serialization.EventSerializer;
import io.annals.server.http.ApiKeys;
import io.annals.server.store.StoreSettings;
import io.annals.store.ExpectedVersion;
import io.annals.store.inmemory.InMemoryEventStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operations routes: admin only, problems for bad input, retry and resolve of a saga that
 * needs attention, and the meters (the routes' description: {@code OpenApiCoverageTest}).
 */
class SagasModuleTest {

    private static final String USER_KEY = "user-secret";
    private static final String ADMIN_KEY = "admin-secret";

    record Refund(String orderId) {
    }

    private final HttpClient http = HttpClient.newHttpClient();

    private record Answer(int status, String contentType, JsonNode json, String body) {
    }

    private Answer send(URI base, String method, String path, String key, String body) throws Exception {
        var request = HttpRequest.newBuilder(base.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String type = response.headers().firstValue("Content-Type").orElse("");
        JsonNode json = type.contains("json") ? EventSerializer.defaultMapper().readTree(response.body()) : null;
        return new Answer(response.statusCode(), type, json, response.body());
    }

    @Test
    void adminsListInspectRetryAndResolveSagasThatNeedAttention() throws Exception {
        var refundWorks = new AtomicBoolean(false);
        var definition = SagaDefinition.of("refund", Refund.class,
                Step.<Refund>of("pay-back", (refund, call) -> "paid", (refund, call) -> {
                    if (!refundWorks.get()) {
                        throw new IllegalStateException("bank offline");
                    }
                }),
                Step.<Refund>of("notify", (refund, call) -> {
                    throw new IllegalStateException("mailer refused");
                }, Step.Compensation.none()));
        var store = new InMemoryEventStore();
        var engine = SagaEngine.builder(store).register(definition).build();
        var config = NodeConfig.ephemeral(new StoreSettings.InMemory()).withKeys(ApiKeys.of(USER_KEY, ADMIN_KEY)).withPort(0);
        try (var node = AnnalsNode.start(config, store, List.of(new SagasModule(engine)))) {
            URI base = node.baseUri();
            engine.start(definition, "r-1", new Refund("o-1"));
            engine.start(definition, "r-2", new Refund("o-2"));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    engine.countByStatus().get(SagaStatus.NEEDS_ATTENTION) == 2);

            assertThat(send(base, "GET", "/api/sagas", null, null).status()).isEqualTo(401);
            assertThat(send(base, "GET", "/api/sagas", USER_KEY, null).status()).isEqualTo(403);

            Answer list = send(base, "GET", "/api/sagas?status=needs-attention", ADMIN_KEY, null);
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.json().get("sagas")).extracting(saga -> saga.get("sagaId").asText()).containsExactly("r-1", "r-2");
            assertThat(list.json().get("sagas").get(0).get("error").asText()).contains("bank offline");

            Answer badStatus = send(base, "GET", "/api/sagas?status=lost", ADMIN_KEY, null);
            assertThat(badStatus.status()).isEqualTo(400);
            assertThat(badStatus.contentType()).startsWith("application/problem+json");
            assertThat(badStatus.json().get("detail").asText()).contains("needs-attention");

            Answer one = send(base, "GET", "/api/sagas/r-1", ADMIN_KEY, null);
            assertThat(one.status()).isEqualTo(200);
            assertThat(one.json().get("status").asText()).isEqualTo("needs-attention");
            assertThat(one.json().get("steps").get(0).get("name").asText()).isEqualTo("pay-back");
            assertThat(one.json().get("history").get(0).get("type").asText()).isEqualTo("SagaStarted");

            assertThat(send(base, "GET", "/api/sagas/nope", ADMIN_KEY, null).status()).isEqualTo(404);
            assertThat(send(base, "GET", "/api/sagas/bad%20id", ADMIN_KEY, null).status()).isEqualTo(400);
            assertThat(send(base, "POST", "/api/sagas/r-1/retry", ADMIN_KEY, "{}").status()).isEqualTo(400);
            assertThat(send(base, "POST", "/api/sagas/r-1/retry", ADMIN_KEY, "not json").status()).isEqualTo(400);

            refundWorks.set(true);
            assertThat(send(base, "POST", "/api/sagas/r-1/retry", ADMIN_KEY, "{\"note\":\"bank is back\"}").status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.find("r-1").orElseThrow().status() == SagaStatus.COMPENSATED);

            Answer resolved = send(base, "POST", "/api/sagas/r-2/resolve", ADMIN_KEY, "{\"note\":\"refunded by phone\"}");
            assertThat(resolved.status()).isEqualTo(200);
            assertThat(resolved.json().get("status").asText()).isEqualTo("resolved");
            Answer again = send(base, "POST", "/api/sagas/r-2/resolve", ADMIN_KEY, "{\"note\":\"twice\"}");
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.contentType()).startsWith("application/problem+json");

            Answer metrics = send(base, "GET", "/metrics", ADMIN_KEY, null);
            assertThat(metrics.body()).contains("annals_sagas_instances{status=\"resolved\"} 1.0")
                    .contains("annals_sagas_step_duration_seconds_count{kind=\"compensation\",outcome=\"failure\",saga=\"refund\",step=\"pay-back\"}");
        }
    }

    @Test
    void theOutboxBacklogIsMetered() throws Exception {
        var store = new InMemoryEventStore();
        var engine = SagaEngine.builder(store).build();
        var delivering = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var relay = OutboxRelay.builder(store, "main").sender("email", message -> {
            delivering.countDown();
            release.await();
        }).build().start();
        var config = NodeConfig.ephemeral(new StoreSettings.InMemory()).withKeys(ApiKeys.of(USER_KEY, ADMIN_KEY)).withPort(0);
        try (var node = AnnalsNode.start(config, store, List.of(new SagasModule(engine, List.of(), List.of(relay))))) {
            URI base = node.baseUri();
            for (int i = 0; i < 3; i++) {
                store.append(StreamId.of("pm-mailer-" + i), ExpectedVersion.any(), List.of(
                        new OutboxMessage(UUID.randomUUID(), "email", "Welcome", "{}").toEventData()));
            }
            assertThat(delivering.await(10, TimeUnit.SECONDS)).isTrue();
            // the message being delivered is not delivered yet
            assertThat(send(base, "GET", "/metrics", ADMIN_KEY, null).body()).contains("annals_sagas_outbox_backlog{relay=\"main\"} 3.0");
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(send(base, "GET", "/metrics", ADMIN_KEY, null).body())
                    .contains("annals_sagas_outbox_backlog{relay=\"main\"} 0.0")
                    .contains("annals_sagas_outbox_delivered_total{relay=\"main\"} 3.0"));
        } finally {
            release.countDown();
        }
    }
}
