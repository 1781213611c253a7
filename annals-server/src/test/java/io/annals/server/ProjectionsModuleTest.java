package io.annals.server;

import static io.annals.server.NodeClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.projection.OnFailure;
import io.annals.projection.ProjectionOptions;
import io.annals.projection.node.ProjectionsModule;
import io.annals.server.http.StoreApiModule;
import io.annals.server.http.ApiKeys;
import io.annals.server.store.StoreSettings;
import io.annals.store.sqlite.SqliteEventStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code projections} module in a node over SQLite: the operations routes for projections
 * and dead letters, admin only, with problem answers; its health part and meters.
 */
class ProjectionsModuleTest {

    private static final String USER_KEY = "user-secret";
    private static final String ADMIN_KEY = "admin-secret";

    @TempDir
    Path directory;

    private static String event(String type) {
        return "[{\"type\":\"" + type + "\",\"data\":{}}]";
    }

    private static JsonNode counts(NodeClient admin) {
        var response = admin.get("/api/projections");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("projections").get(0);
    }

    private static JsonNode deadLetters(NodeClient admin) {
        var response = admin.get("/api/dead-letters?projection=counts");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("deadLetters");
    }

    @Test
    void projectionsAndDeadLettersAreOperatedByAdminsThroughTheNode() {
        var counts = new CountingProjection();
        var options = ProjectionOptions.DEFAULTS.withOnFailure(OnFailure.SKIP).withRetries(1, Duration.ZERO, Duration.ZERO);
        var config = NodeConfig.ephemeral(new StoreSettings.InMemory()).withKeys(ApiKeys.of(USER_KEY, ADMIN_KEY));
        var store = SqliteEventStore.open(directory.resolve("node.db"));
        var module = new ProjectionsModule(runtime -> runtime.register(counts, options));
        try (var node = AnnalsNode.start(config, store, List.of(new StoreApiModule(), module))) {
            var anonymous = new NodeClient(node.baseUri());
            var user = anonymous.withKey(USER_KEY);
            var admin = anonymous.withKey(ADMIN_KEY);
            assertThat(admin.post("/api/streams/order-1", event("Placed")).status()).isEqualTo(201);
            assertThat(admin.post("/api/streams/order-2", event("Poison")).status()).isEqualTo(201);

            await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters(admin).size() == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> counts(admin).get("state").asText().equals("LIVE"));
            JsonNode status = counts(admin);
            assertThat(status.get("eventsHandled").asLong()).isEqualTo(1);
            assertThat(status.get("errors").asLong()).isEqualTo(1);
            assertThat(status.get("lagEvents").asLong()).isZero();
            assertThat(status.get("partitions").get(0).get("held").asBoolean()).isTrue();
            JsonNode letter = deadLetters(admin).get(0);
            assertThat(letter.get("streamId").asText()).isEqualTo("order-2");
            assertThat(letter.get("error").asText()).contains("cannot digest");
            assertThat(letter.get("blocking").asBoolean()).isFalse();
            long id = letter.get("id").asLong();

            assertProblem(anonymous.get("/api/projections"), 401);
            assertProblem(user.get("/api/projections"), 403);
            assertProblem(user.get("/api/dead-letters"), 403);
            assertProblem(user.post("/api/dead-letters/" + id + "/retry", ""), 403);
            assertProblem(user.delete("/api/dead-letters/" + id), 403);
            assertProblem(user.post("/api/projections/counts/rebuild", ""), 403);
            assertProblem(admin.delete("/api/dead-letters/abc"), 400);
            assertProblem(admin.post("/api/dead-letters/0/retry", ""), 400);
            assertProblem(admin.post("/api/dead-letters/999999/retry", ""), 404);
            assertProblem(admin.get("/api/dead-letters?limit=0"), 400);
            assertProblem(admin.post("/api/projections/nothing/rebuild", ""), 404);

            var failedAgain = admin.post("/api/dead-letters/" + id + "/retry", "");
            assertThat(failedAgain.status()).isEqualTo(200);
            assertThat(failedAgain.json().get("applied").asBoolean()).isFalse();
            assertThat(failedAgain.json().get("error").asText()).contains("cannot digest");
            counts.poisoned.set(false);
            assertThat(admin.post("/api/dead-letters/" + id + "/retry", "").json().get("applied").asBoolean()).isTrue();
            assertThat(deadLetters(admin)).isEmpty();

            counts.poisoned.set(true);
            assertThat(admin.post("/api/streams/order-3", event("Poison")).status()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters(admin).size() == 1);
            long second = deadLetters(admin).get(0).get("id").asLong();
            assertThat(admin.delete("/api/dead-letters/" + second).status()).isEqualTo(204);
            assertProblem(admin.delete("/api/dead-letters/" + second), 404);

            var rebuild = admin.post("/api/projections/counts/rebuild", "");
            assertThat(rebuild.status()).as(rebuild.body()).isEqualTo(202);
            assertThat(rebuild.json().get("name").asText()).isEqualTo("counts");
            await().atMost(Duration.ofSeconds(10)).until(() -> counts(admin).get("state").asText().equals("LIVE")
                    && !counts(admin).has("rebuild"));

            var health = anonymous.get("/health").json();
            assertThat(health.get("projections").get("status").asText()).isEqualTo("UP");
            assertThat(anonymous.get("/metrics").body()).contains("annals_projection_events_total{projection=\"counts\"}");
        }
    }
}
