package io.annals.server;

import static io.annals.server.NodeClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.server.store.StoreSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The user example's API over HTTP, as {@code annals serve} runs it: registration with
 * idempotency and its refusals, email changes, logins that lock an account for a while, paging.
 * Reads come from the user directory, which trails the commands: they are awaited.
 */
abstract class UsersApiTest {

    private AnnalsNode node;
    private NodeClient client;

    protected abstract StoreSettings store();

    protected void afterStop() {
    }

    @BeforeEach
    void start() {
        NodeConfig config = NodeConfig.ephemeral(store()).withSettings(Map.of(
                "users.unlock-after", "2s", "users.allowed-lateness", "2s", "projections.lease", "2s"));
        node = Examples.start(config);
        client = new NodeClient(node.baseUri());
    }

    @AfterEach
    void stop() {
        node.stop();
        afterStop();
    }

    private String register(String email, String name, String... headers) {
        var response = client.post("/api/users", "{\"email\":\"" + email + "\",\"name\":\"" + name + "\"}", headers);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("userId").asText();
    }

    private JsonNode awaitUser(String userId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> client.get("/api/users/" + userId).status() == 200);
        return client.get("/api/users/" + userId).json();
    }

    @Test
    void registersOnceUnderAnIdempotencyKeyAndRefusesTakenOrInvalidInput() {
        String ada = register("Ada@Example.com", "Ada", "Idempotency-Key", "signup-ada");
        assertThat(register("Ada@Example.com", "Ada", "Idempotency-Key", "signup-ada")).isEqualTo(ada);
        assertProblem(client.post("/api/users", "{\"email\":\"other@example.com\",\"name\":\"Ada\"}",
                "Idempotency-Key", "signup-ada"), 422);

        var taken = client.post("/api/users", "{\"email\":\"ada@example.com\",\"name\":\"Impostor\"}",
                "Idempotency-Key", "signup-impostor");
        assertProblem(taken, 409);
        assertThat(taken.json().get("type").asText()).isEqualTo("urn:annals:problem:email-taken");
        assertProblem(client.post("/api/users", "{\"email\":\"ada@example.com\",\"name\":\"Impostor\"}",
                "Idempotency-Key", "signup-impostor"), 409);
        var invalid = client.post("/api/users", "{\"email\":\"not an address\",\"name\":\"X\"}");
        assertProblem(invalid, 400);
        assertThat(invalid.json().get("type").asText()).isEqualTo("urn:annals:problem:invalid-email");
        assertProblem(client.post("/api/users", "{\"email\":\"x@example.com\",\"name\":\"  \"}"), 400);
        assertProblem(client.post("/api/users", "{\"email\":\"x@example.com\"}"), 400);

        JsonNode user = awaitUser(ada);
        assertThat(user.get("id").asText()).isEqualTo(ada);
        assertThat(user.get("email").asText()).isEqualTo("ada@example.com");
        assertThat(user.get("name").asText()).isEqualTo("Ada");
        assertThat(user.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(Instant.parse(user.get("registeredAt").asText())).isEqualTo(Instant.parse(user.get("lastUpdated").asText()));
        var unknown = client.get("/api/users/nobody");
        assertProblem(unknown, 404);
        assertThat(unknown.json().get("type").asText()).isEqualTo("urn:annals:problem:user-not-found");
    }

    @Test
    void anEmailChangeFreesTheOldAddressAndRefusesATakenOne() {
        String ada = register("ada@example.com", "Ada");
        String bob = register("bob@example.com", "Bob");

        assertThat(client.send(client.request("/api/users/" + ada + "/email").header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"email\":\"Countess@Example.com\"}")).build()).status())
                .isEqualTo(200);
        register("ada@example.com", "Another Ada");
        assertProblem(put("/api/users/" + bob + "/email", "{\"email\":\"countess@example.com\"}"), 409);
        assertThat(put("/api/users/" + ada + "/email", "{\"email\":\"countess@example.com\"}").status()).isEqualTo(200);
        assertProblem(put("/api/users/nobody/email", "{\"email\":\"nobody@example.com\"}"), 404);
        assertProblem(put("/api/users/" + bob + "/email", "{\"email\":\"@\"}"), 400);

        await().atMost(Duration.ofSeconds(20)).until(() ->
                client.get("/api/users?email=COUNTESS@example.com").json().get("items").size() == 1);
        JsonNode found = client.get("/api/users?email=countess@example.com").json().get("items").get(0);
        assertThat(found.get("id").asText()).isEqualTo(ada);
        assertThat(Instant.parse(found.get("lastUpdated").asText())).isAfter(Instant.parse(found.get("registeredAt").asText()));
        assertThat(client.get("/api/users?email=nobody@example.com").json().get("total").asLong()).isZero();
        assertProblem(client.get("/api/users?email=not-an-address"), 400);
    }

    @Test
    void threeFailedLoginsLockTheAccountUntilTheDeadlineUnlocksIt() {
        String ada = register("ada@example.com", "Ada");
        // event times behind the pattern's watermark (the clock less the allowed lateness) would be late
        Instant t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        for (int i = 0; i < 3; i++) {
            var login = client.post("/api/users/" + ada + "/logins", "{\"success\":false,\"at\":\"" + t0.plusMillis(i) + "\"}");
            assertThat(login.status()).as(login.body()).isEqualTo(202);
        }
        assertThat(client.post("/api/users/" + ada + "/logins", "{\"success\":true}").status()).isEqualTo(202);
        assertProblem(client.post("/api/users/nobody/logins", "{\"success\":false}"), 404);
        assertProblem(client.post("/api/users/" + ada + "/logins", "{\"at\":\"" + t0 + "\"}"), 400);
        assertProblem(client.post("/api/users/" + ada + "/logins", "{\"success\":false,\"at\":\"yesterday\"}"), 400);

        await().atMost(Duration.ofSeconds(20)).until(() -> client.get("/api/alerts?userId=" + ada).json().get("alerts").size() == 1);
        JsonNode alert = client.get("/api/alerts?userId=" + ada).json().get("alerts").get(0);
        assertThat(alert.get("userId").asText()).isEqualTo(ada);
        assertThat(alert.get("pattern").asText()).isEqualTo("SuspiciousUserActivity");
        assertThat(Instant.parse(alert.get("firstOccurredAt").asText())).isEqualTo(t0);

        await().atMost(Duration.ofSeconds(20)).until(() -> awaitUser(ada).get("status").asText().equals("LOCKED"));
        await().atMost(Duration.ofSeconds(20)).until(() -> awaitUser(ada).get("status").asText().equals("ACTIVE"));
        assertThat(client.get("/api/alerts").json().get("alerts").size()).isEqualTo(1);

        // the pattern runs in the cep module: shown, checked and measured as the module's own patterns
        JsonNode pattern = CepModuleTest.pattern(client, "users.suspicious");
        assertThat(pattern.get("status").asText()).isEqualTo("LIVE");
        assertThat(pattern.get("pattern").asText()).isEqualTo("SuspiciousUserActivity");
        assertThat(pattern.get("eventType").asText()).isEqualTo("SuspiciousUserActivityDetected");
        assertThat(pattern.get("outputStream").asText()).isEqualTo("cep-users.suspicious");
        assertThat(pattern.get("lateness").asText()).isEqualTo("PT2S");
        assertThat(pattern.get("matches").asLong()).isEqualTo(1);
        assertThat(client.get("/api/cep/patterns").json().get("patterns")).extracting(p -> p.get("name").asText())
                .containsExactly("users.suspicious");
        assertThat(client.get("/health").json().get("cep").get("status").asText()).isEqualTo("UP");
        assertThat(client.get("/metrics").body()).contains("annals_cep_matches_total{pattern=\"users.suspicious\"} 1.0");

        // a login from before the allowed lateness is recorded but too late to count: answered, and counted as late
        Instant old = Instant.now().minus(Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            var late = client.post("/api/users/" + ada + "/logins", "{\"success\":false,\"at\":\"" + old.plusMillis(i) + "\"}");
            assertThat(late.status()).as(late.body()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> CepModuleTest.pattern(client, "users.suspicious").get("lateEvents").asLong() == 3);
        assertThat(CepModuleTest.pattern(client, "users.suspicious").get("matches").asLong()).isEqualTo(1);
        assertThat(client.get("/metrics").body()).contains("annals_cep_late_events_total{pattern=\"users.suspicious\"} 3.0");
    }

    @Test
    void pagesUsersInOrderOfRegistrationWithTheTotal() {
        for (int i = 0; i < 5; i++) {
            register("user" + i + "@example.com", "User " + i);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> client.get("/api/users?page=0&size=2").json().get("total").asLong() == 5);
        JsonNode first = client.get("/api/users?page=0&size=2").json();
        assertThat(first.get("page").asInt()).isZero();
        assertThat(first.get("size").asInt()).isEqualTo(2);
        assertThat(first.get("items")).extracting(item -> item.get("email").asText())
                .containsExactly("user0@example.com", "user1@example.com");
        assertThat(client.get("/api/users?page=2&size=2").json().get("items")).extracting(item -> item.get("email").asText())
                .containsExactly("user4@example.com");
        assertThat(client.get("/api/users").json().get("items").size()).isEqualTo(5);
        assertProblem(client.get("/api/users?size=0"), 400);
        assertProblem(client.get("/api/users?page=x"), 400);
    }

    private NodeClient.Response put(String path, String body) {
        return client.send(client.request(path).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
