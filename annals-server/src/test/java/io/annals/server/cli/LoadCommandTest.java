package io.annals.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.server.AnnalsNode;
import io.annals.server.Examples;
import io.annals.server.NodeConfig;
import io.annals.server.http.ApiKeys;
import io.annals.server.store.StoreSettings;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code annals load} against a node in this process. */
class LoadCommandTest {

    private static final String USER_KEY = "user-secret";
    private static final String ADMIN_KEY = "admin-secret";

    @Test
    void aShortRunRegistersEveryUserWithoutAnErrorAndItsBurstsRaiseAlerts(@TempDir Path directory) throws Exception {
        // the alerts come the pattern's lateness after the bursts: a short one keeps the wait short
        var config = NodeConfig.ephemeral(new StoreSettings.Sqlite(directory)).withKeys(ApiKeys.of(USER_KEY, ADMIN_KEY))
                .withSettings(Map.of("users.allowed-lateness", "2s"));
        try (var node = Examples.start(config)) {
            CliRun run = CliRun.annals("load", "--url", node.baseUri().toString(), "--api-key", USER_KEY, "--users", "8",
                    "--rate", "20", "--duration", "3s", "--seed", "42");

            assertThat(run.code()).as(run.out() + run.err()).isZero();
            assertThat(run.out()).contains(": 60 requests in ", " 0 errors; seed 42", "users: 8 registered (of 8)")
                    .containsPattern("register +8 +0 +[0-9.]+ +[0-9.]+").containsPattern("all +60 +0 ");
            Matcher bursts = Pattern.compile("(\\d+) bursts of failed logins on (\\d+) users").matcher(run.out());
            assertThat(bursts.find()).as(run.out()).isTrue();
            int burstUsers = Integer.parseInt(bursts.group(2));
            assertThat(burstUsers).isPositive();

            var http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode page = get(http, node, "/api/users?page=0&size=1");
                assertThat(page.get("total").asLong()).isEqualTo(8);
                Set<String> alerted = new HashSet<>();
                get(http, node, "/api/alerts?limit=1000").get("alerts").forEach(alert -> alerted.add(alert.get("userId").asText()));
                assertThat(alerted).hasSizeGreaterThanOrEqualTo(burstUsers);
            });
        }
    }

    private static JsonNode get(HttpClient http, AnnalsNode node, String path) throws Exception {
        var response = http.send(HttpRequest.newBuilder(node.baseUri().resolve(path)).header("Authorization", "Bearer " + USER_KEY)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return RemoteNode.JSON.readTree(response.body());
    }

    @Test
    void aNodeWithoutTheUserApiEndsTheRunWithTheNodesAnswer() {
        try (var node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()))) {
            CliRun run = CliRun.annals("load", "--url", node.baseUri().toString(), "--users", "3", "--rate", "50", "--duration", "2s");

            assertThat(run.code()).isEqualTo(1);
            assertThat(run.err()).contains("no user could register", "404");
            assertThat(run.out()).contains("users: 0 registered (of 3)").containsPattern("register +3 +3 +-");
        }
    }

    @Test
    void badNumbersAreUsageErrors() {
        assertThat(CliRun.annals("load", "--users", "0", "--rate", "10").code()).isEqualTo(2);
        assertThat(CliRun.annals("load", "--users", "10", "--rate", "0").code()).isEqualTo(2);
        assertThat(CliRun.annals("load", "--users", "10", "--rate", "10", "--duration", "0s").code()).isEqualTo(2);
        CliRun missing = CliRun.annals("load", "--rate", "10");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("--users");
    }
}
