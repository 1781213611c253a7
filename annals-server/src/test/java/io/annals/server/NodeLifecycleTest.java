package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.node.NodeModule;
import io.annals.node.Role;
import io.annals.server.http.StoreApiModule;
import io.annals.server.store.StoreSettings;
import io.annals.store.inmemory.InMemoryEventStore;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NodeLifecycleTest {

    @Test
    void handlersRunOnVirtualThreads() {
        NodeModule probe = TestModules.of("probe", node -> node.routes().get("/test/thread", Role.PUBLIC,
                ctx -> ctx.result(Boolean.toString(Thread.currentThread().isVirtual()))));
        try (var node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()), new InMemoryEventStore(), List.of(probe))) {
            assertThat(new NodeClient(node.baseUri()).get("/test/thread").body()).isEqualTo("true");
        }
    }

    @Test
    void stoppingLetsARequestInFlightFinishAndEndsLiveStreams() throws Exception {
        var entered = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        NodeModule slow = TestModules.of("slow", node -> node.routes().get("/test/slow", Role.PUBLIC, ctx -> {
            entered.countDown();
            release.await(30, TimeUnit.SECONDS);
            ctx.result("finished");
        }));
        var node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()), new InMemoryEventStore(),
                List.of(new StoreApiModule(), slow));
        var client = new NodeClient(node.baseUri());
        var follower = new SseFollower(client, "/api/events/stream");
        await().atMost(Duration.ofSeconds(10)).until(() -> follower.comments() >= 1);
        CompletableFuture<HttpResponse<String>> inFlight = client.http().sendAsync(
                client.request("/test/slow").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        var stopping = CompletableFuture.runAsync(node::stop);
        await().atMost(Duration.ofSeconds(10)).until(follower::ended);
        assertThat(stopping).isNotDone();
        release.countDown();

        assertThat(inFlight.get(10, TimeUnit.SECONDS).body()).isEqualTo("finished");
        stopping.get(20, TimeUnit.SECONDS);
        follower.close();
    }

    @Test
    void exposesRequestAppendLagAndJvmMetrics() {
        try (var node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()))) {
            var client = new NodeClient(node.baseUri());
            try (var follower = new SseFollower(client, "/api/events/stream")) {
                client.post("/api/streams/m-1", "[{\"type\":\"A\",\"data\":{}},{\"type\":\"B\",\"data\":{}}]");
                client.post("/api/streams/m-1", "[{\"type\":\"C\",\"data\":{}}]", "Expected-Version", "0");
                await().atMost(Duration.ofSeconds(10)).until(() -> follower.messages().size() == 2);
                assertThat(client.get("/metrics").body()).contains("annals_subscriptions_open 1.0")
                        .contains("annals_subscription_lag_seconds 0.0");
            }

            var metrics = client.get("/metrics");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.contentType()).startsWith("text/plain");
            assertThat(metrics.body())
                    .contains("annals_events_appended_total 2.0")
                    .contains("annals_appends_seconds_count{outcome=\"ok\"} 1")
                    .contains("annals_appends_seconds_count{outcome=\"conflict\"} 1")
                    .contains("http_server_requests_seconds_count{method=\"POST\",route=\"/api/streams/{streamId}\",status=\"201\"} 1")
                    .contains("jvm_memory_used_bytes")
                    .contains("jvm_threads_live_threads");
        }
    }

    @Test
    void aPortInUseFailsTheStartWithAClearError() {
        try (var first = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()))) {
            var taken = NodeConfig.ephemeral(new StoreSettings.InMemory()).withPort(first.port());
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> AnnalsNode.start(taken))
                    .hasMessageContaining(Integer.toString(first.port()));
        }
    }
}
