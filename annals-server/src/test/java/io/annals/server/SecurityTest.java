package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.node.Settings;
import io.annals.server.http.ApiKeys;
import io.annals.server.store.StoreSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SecurityTest {

    private static final String EVENT = "[{\"type\":\"A\",\"data\":{}}]";

    @Test
    void withBothKeysReadsNeedTheUserKeyAndWritesTheAdminKey() {
        var config = NodeConfig.ephemeral(new StoreSettings.InMemory()).withKeys(ApiKeys.of("user-secret", "admin-secret"));
        try (var node = AnnalsNode.start(config)) {
            var anonymous = new NodeClient(node.baseUri());
            var user = anonymous.withKey("user-secret");
            var admin = anonymous.withKey("admin-secret");
            var wrong = anonymous.withKey("user-secreT");

            var refused = anonymous.get("/api/events");
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(wrong.get("/api/events").status()).isEqualTo(401);
            assertThat(anonymous.post("/api/streams/s-1", EVENT).status()).isEqualTo(401);
            assertThat(anonymous.get("/api/events/stream").status()).isEqualTo(401);
            // HEAD goes through the same check as the GET it stands beside, not around it
            assertThat(anonymous.send(anonymous.request("/api/events").HEAD().build()).status()).isEqualTo(401);
            assertThat(anonymous.send(anonymous.request("/api/events/stream").HEAD().build()).status()).isEqualTo(401);
            assertThat(user.send(user.request("/api/events/stream").HEAD().build()).status()).isEqualTo(200);

            assertThat(user.post("/api/streams/s-1", EVENT).status()).isEqualTo(403);
            assertThat(user.delete("/api/streams/s-1").status()).isEqualTo(403);
            assertThat(admin.post("/api/streams/s-1", EVENT).status()).isEqualTo(201);
            assertThat(user.get("/api/streams/s-1").status()).isEqualTo(200);
            assertThat(admin.get("/api/streams/s-1").status()).isEqualTo(200);
            assertThat(admin.delete("/api/streams/s-1").status()).isEqualTo(204);

            assertThat(anonymous.get("/health").status()).isEqualTo(200);
            assertThat(anonymous.get("/metrics").status()).isEqualTo(200);
            assertThat(anonymous.get("/openapi.json").status()).isEqualTo(200);
        }
    }

    @Test
    void aSingleKeyGrantsEverything() {
        var config = NodeConfig.ephemeral(new StoreSettings.InMemory()).withKeys(ApiKeys.of("only-key", null));
        try (var node = AnnalsNode.start(config)) {
            var client = new NodeClient(node.baseUri(), "only-key");

            assertThat(client.post("/api/streams/s-1", EVENT).status()).isEqualTo(201);
            assertThat(new NodeClient(node.baseUri()).get("/api/streams/s-1").status()).isEqualTo(401);
        }
    }

    @Test
    void withOnlyAnAdminKeyReadsNeedItToo() {
        var config = NodeConfig.ephemeral(new StoreSettings.InMemory()).withKeys(ApiKeys.of(null, "admin-only"));
        try (var node = AnnalsNode.start(config)) {
            var admin = new NodeClient(node.baseUri(), "admin-only");
            var anonymous = new NodeClient(node.baseUri());

            assertThat(admin.post("/api/streams/s-1", EVENT).status()).isEqualTo(201);
            assertThat(anonymous.get("/api/streams/s-1").status()).isEqualTo(401);
            assertThat(anonymous.get("/api/events").status()).isEqualTo(401);
            assertThat(admin.get("/api/streams/s-1").status()).isEqualTo(200);
            assertThat(anonymous.get("/health").status()).isEqualTo(200);
        }
    }

    @Test
    void refusesToListenBeyondLoopbackWithoutAKey() {
        assertThatThrownBy(() -> new NodeConfig("0.0.0.0", 0, new StoreSettings.InMemory(), ApiKeys.NONE,
                NodeConfig.DEFAULT_MAX_REQUEST_BYTES, Duration.ofSeconds(1), NodeConfig.DEFAULT_MODULES, Settings.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--api-key");

        var withKey = new NodeConfig("0.0.0.0", 0, new StoreSettings.InMemory(), ApiKeys.of("k", null),
                NodeConfig.DEFAULT_MAX_REQUEST_BYTES, Duration.ofSeconds(1), NodeConfig.DEFAULT_MODULES, Settings.NONE);
        assertThat(withKey.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(new NodeConfig("::1", 0, new StoreSettings.InMemory(), ApiKeys.NONE,
                NodeConfig.DEFAULT_MAX_REQUEST_BYTES, Duration.ofSeconds(1), NodeConfig.DEFAULT_MODULES, Settings.NONE).bindAddress()).isEqualTo("::1");
    }
}
