package io.annals.server;

import static io.annals.server.NodeClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.cep.node.CepModule;
import io.annals.cep.node.CepPattern;
import io.annals.cep.text.PatternText;
import io.annals.server.http.ApiKeys;
import io.annals.store.EventFilter;
import io.annals.server.store.StoreSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code cep} module in a node over SQLite: its operations routes with their role, its health
 * part and meters, and settings that stop the start with a message naming the key.
 */
class CepModuleTest {

    static final String SEED_PATTERN = "PATTERN SuspiciousUserActivity: UserLoginFailed{3} WITHIN 5m PARTITION BY userId SKIP PAST LAST";
    private static final String USER_KEY = "user-secret";
    private static final String ADMIN_KEY = "admin-secret";

    @TempDir
    Path directory;

    private NodeConfig config(Map<String, String> settings) {
        var all = new HashMap<>(Map.of("cep.lateness", "1s", "cep.tick", "50ms"));
        all.putAll(settings);
        return NodeConfig.ephemeral(new StoreSettings.Sqlite(directory.resolve("data")))
                .withKeys(ApiKeys.of(USER_KEY, ADMIN_KEY))
                .withModules(List.of("store-api", "cep"))
                .withSettings(all);
    }

    static String failedLogin(String user) {
        return "[{\"type\":\"UserLoginFailed\",\"data\":{\"userId\":\"" + user + "\"}}]";
    }

    @Test
    void patternsFromAFileRunOverTheStoreAndTheRoutesShowTheirStateToAdminsOnly() throws Exception {
        Path file = directory.resolve("patterns.cep");
        Files.writeString(file, "# the seed's alert\n" + SEED_PATTERN + "\n"
                + "PATTERN Unconfirmed: UserRegistered -> NOT EmailConfirmed WITHIN 10m PARTITION BY userId\n");
        try (var node = AnnalsNode.start(config(Map.of("cep.patterns-file", file.toString())))) {
            var anonymous = new NodeClient(node.baseUri());
            var user = anonymous.withKey(USER_KEY);
            var admin = anonymous.withKey(ADMIN_KEY);
            for (int i = 0; i < 2; i++) {
                assertThat(admin.post("/api/streams/user-alice", failedLogin("alice")).status()).isEqualTo(201);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> pattern(admin, "SuspiciousUserActivity").get("events").asLong() == 2);

            JsonNode alice = pattern(admin, "SuspiciousUserActivity");
            assertThat(alice.get("status").asText()).isEqualTo("LIVE");
            assertThat(alice.get("eventType").asText()).isEqualTo("SuspiciousUserActivityDetected");
            assertThat(alice.get("outputStream").asText()).isEqualTo("cep-SuspiciousUserActivity");
            assertThat(alice.get("partitionBy").asText()).isEqualTo("userId");
            assertThat(alice.get("within").asText()).isEqualTo("PT5M");
            assertThat(alice.get("state").get("partialMatches").asLong()).isEqualTo(2);
            assertThat(alice.get("state").get("keys").asLong()).isEqualTo(1);
            assertThat(alice.get("matches").asLong()).isZero();
            assertThat(alice.get("lateEvents").asLong()).isZero();

            var all = admin.get("/api/cep/patterns");
            assertThat(all.status()).isEqualTo(200);
            assertThat(all.json().get("patterns")).extracting(p -> p.get("name").asText())
                    .containsExactly("SuspiciousUserActivity", "Unconfirmed");

            assertProblem(anonymous.get("/api/cep/patterns"), 401);
            assertProblem(user.get("/api/cep/patterns"), 403);
            assertProblem(user.get("/api/cep/patterns/SuspiciousUserActivity"), 403);
            assertProblem(admin.get("/api/cep/patterns/NoSuchPattern"), 404);

            assertThat(admin.post("/api/streams/user-alice", failedLogin("alice")).status()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(10)).until(() -> pattern(admin, "SuspiciousUserActivity").get("matches").asLong() == 1);
            var alerts = user.get("/api/streams/cep-SuspiciousUserActivity").json().get("events");
            assertThat(alerts).hasSize(1);
            assertThat(alerts.get(0).get("type").asText()).isEqualTo("SuspiciousUserActivityDetected");
            assertThat(alerts.get(0).get("tags")).extracting(JsonNode::asText)
                    .containsExactlyInAnyOrder("cep-pattern:SuspiciousUserActivity", "userId:alice");

            var health = anonymous.get("/health").json();
            assertThat(health.get("cep").get("status").asText()).isEqualTo("UP");
            assertThat(health.get("cep").get("patterns").asInt()).isEqualTo(2);
            assertThat(anonymous.get("/metrics").body())
                    .contains("annals_cep_matches_total{pattern=\"SuspiciousUserActivity\"} 1.0")
                    .contains("annals_cep_partial_matches{pattern=\"SuspiciousUserActivity\"} 0.0");
        }
    }

    @Test
    void inlinePatternsWork() {
        try (var node = AnnalsNode.start(config(Map.of("cep.patterns", SEED_PATTERN)))) {
            var admin = new NodeClient(node.baseUri()).withKey(ADMIN_KEY);
            for (int i = 0; i < 3; i++) {
                admin.post("/api/streams/user-bob", failedLogin("bob"));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.get("/api/streams/cep-SuspiciousUserActivity").status() == 200);
            assertThat(pattern(admin, "SuspiciousUserActivity").get("matches").asLong()).isEqualTo(1);
        }
    }

    @Test
    void badSettingsStopTheStartWithAMessageThatNamesTheKey() {
        assertThatThrownBy(() -> AnnalsNode.start(config(Map.of())))
                .hasMessageContaining("cep.patterns").hasMessageContaining("cep.patterns-file");
        assertThatThrownBy(() -> AnnalsNode.start(config(Map.of("cep.patterns", SEED_PATTERN, "cep.patterns-file", "x.cep"))))
                .hasMessageContaining("exactly one");
        assertThatThrownBy(() -> AnnalsNode.start(config(Map.of("cep.patterns", "PATTERN A: X{3} WITHIN 5x"))))
                .hasMessageContaining("setting cep.patterns: line 1, column 25: expected a unit");
        assertThatThrownBy(() -> AnnalsNode.start(config(Map.of("cep.patterns-file", directory.resolve("missing.cep").toString()))))
                .hasMessageContaining("cannot read");
        assertThatThrownBy(() -> AnnalsNode.start(config(Map.of("cep.patterns", SEED_PATTERN + "\n" + SEED_PATTERN))))
                .hasMessageContaining("defined twice");
        assertThatThrownBy(() -> AnnalsNode.start(config(Map.of("cep.patterns", SEED_PATTERN, "cep.tick", "0s"))))
                .hasMessageContaining("cep.tick");
        assertThatThrownBy(() -> AnnalsNode.start(config(Map.of("cep.patterns", SEED_PATTERN, "cep.checkpoint-every", "lots"))))
                .hasMessageContaining("cep.checkpoint-every");
        var applications = new CepPattern("SuspiciousUserActivity", PatternText.parseOne(SEED_PATTERN), EventFilter.ALL, Duration.ZERO);
        assertThatThrownBy(() -> AnnalsNode.start(config(Map.of("cep.patterns", SEED_PATTERN)),
                store -> List.of(new CepModule(List.of(applications)))))
                .hasMessageContaining("pattern SuspiciousUserActivity is also run by the application");
    }

    static JsonNode pattern(NodeClient admin, String name) {
        var response = admin.get("/api/cep/patterns/" + name);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }
}
