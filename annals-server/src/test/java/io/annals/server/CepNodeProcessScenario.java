package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * The seed's alert end to end, on the node jar: failed logins appended over HTTP become a
 * {@code SuspiciousUserActivityDetected} event in the store; the node is killed (SIGKILL) with
 * alice two failures into the pattern and bob's alert written, and after the restart alice's third
 * failure completes her match while bob's alert is not written again.
 */
final class CepNodeProcessScenario {

    /** How matches come out: through the clock (lateness and a short tick) or on the input alone. */
    enum Timing {
        CLOCK("1s", "100ms"),
        INPUT("0s", "1h");

        final String lateness;
        final String tick;

        Timing(String lateness, String tick) {
            this.lateness = lateness;
            this.tick = tick;
        }
    }

    private static final String PATTERN = "SuspiciousUserActivity";
    private static final String OUTPUT = "/api/streams/cep-" + PATTERN;

    private CepNodeProcessScenario() {
    }

    static void run(Path workingDirectory, Timing timing, String... storeArgs) throws Exception {
        Path patterns = workingDirectory.resolve("patterns.cep");
        Files.writeString(patterns, "# the seed's alert: 3 failed logins of one user within 5 minutes\n"
                + CepModuleTest.SEED_PATTERN + "\n");
        var args = new ArrayList<>(List.of(storeArgs));
        // the cep module alone: the user example's own pattern, process manager and events would add to the counts
        args.addAll(List.of("--no-examples", "--modules", "store-api,cep", "--set", "cep.patterns-file=" + patterns,
                "--set", "cep.lateness=" + timing.lateness, "--set", "cep.tick=" + timing.tick,
                // a checkpoint after alice's two failures and after bob's second, none after his third
                "--set", "cep.checkpoint-every=2"));
        List<String> aliceBeforeKill = new ArrayList<>();
        String bobAlert;
        try (var first = NodeProcess.start(workingDirectory, args.toArray(String[]::new))) {
            var client = new NodeClient(first.awaitListening());
            aliceBeforeKill.add(failedLogin(client, "alice"));
            aliceBeforeKill.add(failedLogin(client, "alice"));
            for (int i = 0; i < 3; i++) {
                failedLogin(client, "bob");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> alerts(client).size() == 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> CepModuleTest.pattern(client, PATTERN).get("events").asLong() == 5);
            JsonNode alert = alerts(client).getFirst();
            assertThat(alert.get("tags")).extracting(JsonNode::asText).contains("userId:bob");
            bobAlert = alert.get("eventId").asText();
            first.kill();
        }

        try (var second = NodeProcess.start(workingDirectory, args.toArray(String[]::new))) {
            var client = new NodeClient(second.awaitListening());
            await().atMost(Duration.ofSeconds(30)).until(() -> CepModuleTest.pattern(client, PATTERN).get("events").asLong() == 5);
            JsonNode restored = CepModuleTest.pattern(client, PATTERN);
            assertThat(restored.get("matches").asLong()).isEqualTo(1);
            assertThat(restored.get("state").get("partialMatches").asLong()).as("alice's two failures").isEqualTo(2);

            String third = failedLogin(client, "alice");
            await().atMost(Duration.ofSeconds(30)).until(() -> alerts(client).size() >= 2);
            List<JsonNode> alerts = alerts(client);
            assertThat(alerts).as("bob's alert once, alice's once").hasSize(2);
            assertThat(alerts.getFirst().get("eventId").asText()).isEqualTo(bobAlert);
            JsonNode alice = alerts.get(1);
            assertThat(alice.get("tags")).extracting(JsonNode::asText)
                    .containsExactlyInAnyOrder("cep-pattern:" + PATTERN, "userId:alice");
            var matched = StreamSupport.stream(alice.get("data").get("events").spliterator(), false)
                    .map(event -> event.get("eventId").asText()).toList();
            var expected = new ArrayList<>(aliceBeforeKill);
            expected.add(third);
            assertThat(matched).containsExactlyElementsOf(expected);
            assertThat(CepModuleTest.pattern(client, PATTERN).get("matches").asLong()).isEqualTo(2);

            assertThat(second.terminate()).isIn(0, 143);
        }
    }

    /** Appends one failed login of {@code user}; returns its event id. */
    private static String failedLogin(NodeClient client, String user) {
        String id = java.util.UUID.randomUUID().toString();
        var response = client.post("/api/streams/user-" + user,
                "[{\"eventId\":\"" + id + "\",\"type\":\"UserLoginFailed\",\"data\":{\"userId\":\"" + user + "\"}}]");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return id;
    }

    private static List<JsonNode> alerts(NodeClient client) {
        var response = client.get(OUTPUT);
        if (response.status() == 404) {
            return List.of();
        }
        var events = new ArrayList<JsonNode>();
        response.json().get("events").forEach(events::add);
        return events;
    }
}
