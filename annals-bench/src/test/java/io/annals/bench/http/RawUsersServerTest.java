package io.annals.bench.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.bench.db.BenchDatabase;
import io.annals.bench.db.BenchDatabases;
import io.annals.bench.store.StoreKind;
import io.annals.server.AnnalsNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The users' ceiling on each database (PostgreSQL from $ANNALS_TEST_PG_URL, else an embedded
 * one): it answers as the user API does, and carries the bench's load.
 */
class RawUsersServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void answersRegistrationsAndEmailChangesAsTheUserApiDoesAndCarriesTheLoad(StoreKind kind) throws Exception {
        try (BenchDatabase database = BenchDatabases.open(kind, null, System.getenv(), new PrintWriter(new StringWriter()));
             var client = HttpClient.newHttpClient()) {
            HttpBenchCommand.onFreshStore(database, "raw-users-test", store -> {
                AnnalsNode node = RawUsersServer.start(store);
                try {
                    var http = new Client(client, node.baseUri());
                    var ann = http.send("POST", "/api/users", "key-1", "{\"email\":\"ann@example.org\",\"name\":\"Ann\"}");
                    assertThat(ann.statusCode()).isEqualTo(201);
                    String annId = JSON.readTree(ann.body()).get("userId").asText();
                    assertThat(ann.headers().firstValue("Location")).contains("/api/users/" + annId);
                    var repeated = http.send("POST", "/api/users", "key-1", "{\"email\":\"ann@example.org\",\"name\":\"Ann\"}");
                    assertThat(repeated.statusCode()).isEqualTo(201);
                    assertThat(JSON.readTree(repeated.body()).get("userId").asText()).isEqualTo(annId);
                    assertThat(http.send("POST", "/api/users", "key-2", "{\"email\":\"ann@example.org\",\"name\":\"Other\"}")
                            .statusCode()).isEqualTo(409);
                    assertThat(http.send("POST", "/api/users", "key-3", "{\"email\":\"bob@example.org\",\"name\":\"Bob\"}")
                            .statusCode()).isEqualTo(201);

                    assertThat(http.send("PUT", "/api/users/" + annId + "/email", null, "{\"email\":\"ann@example.com\"}")
                            .statusCode()).isEqualTo(200);
                    assertThat(http.send("PUT", "/api/users/" + annId + "/email", null, "{\"email\":\"ann@example.com\"}")
                            .statusCode()).isEqualTo(200);
                    assertThat(http.send("PUT", "/api/users/" + annId + "/email", null, "{\"email\":\"bob@example.org\"}")
                            .statusCode()).isEqualTo(409);
                    assertThat(http.send("PUT", "/api/users/nobody/email", null, "{\"email\":\"x@example.org\"}")
                            .statusCode()).isEqualTo(404);
                    assertThat(http.send("POST", "/api/users", "key-4", "{\"email\":").statusCode()).isEqualTo(400);
                } finally {
                    node.stop();
                }
                return null;
            });
            var result = HttpBenchCommand.onFreshStore(database, "raw-users-load",
                    store -> RawUsersServer.measure(store, 4, Duration.ofMillis(200), Duration.ofMillis(500)));
            assertThat(result.eventsPerSecond()).isPositive();
            assertThat(result.latencies().size()).isPositive();
        }
    }

    private record Client(HttpClient client, URI base) {
        HttpResponse<String> send(String method, String path, String idempotencyKey, String body) throws Exception {
            var request = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
            if (idempotencyKey != null) {
                request.header("Idempotency-Key", idempotencyKey);
            }
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
