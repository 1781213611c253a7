package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.server.store.StoreSettings;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A catalogue of hostile and malformed requests against a node on the real SQLite store. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileRequestsTest {

    private AnnalsNode node;
    private NodeClient client;
    private String historyBefore;

    @BeforeAll
    void start(@TempDir Path dataDirectory) {
        node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.Sqlite(dataDirectory)));
        client = new NodeClient(node.baseUri());
        assertThat(client.post("/api/streams/precious-1",
                "[{\"type\":\"Kept\",\"data\":{\"value\":42}},{\"type\":\"x'); DROP TABLE events; --\",\"data\":{\"q\":\"' OR 1=1 --\"}}]")
                .status()).isEqualTo(201);
        assertThat(client.post("/api/streams/hostileX1", "[{\"type\":\"Kept\",\"data\":{}}]").status()).isEqualTo(201);
        historyBefore = client.get("/api/events?limit=1000").body();
    }

    @AfterAll
    void stop() {
        node.stop();
    }

    record Attempt(String name, HttpRequest request, int expectedStatus) {
    }

    private List<Attempt> catalogue() {
        var attempts = new ArrayList<Attempt>();
        String stream = "/api/streams/target-1";
        post(attempts, "not JSON", stream, "{{{", 400);
        post(attempts, "an object, not an array", stream, "{\"type\":\"A\",\"data\":{}}", 400);
        post(attempts, "an empty array", stream, "[]", 400);
        post(attempts, "an empty body", stream, "", 400);
        post(attempts, "JSON null", stream, "null", 400);
        post(attempts, "an array of numbers", stream, "[1,2]", 400);
        post(attempts, "no type", stream, "[{\"data\":{}}]", 400);
        post(attempts, "a numeric type", stream, "[{\"type\":7,\"data\":{}}]", 400);
        post(attempts, "a blank type", stream, "[{\"type\":\"  \",\"data\":{}}]", 400);
        post(attempts, "a type with a line break", stream, "[{\"type\":\"A\\nevent: Forged\",\"data\":{}}]", 400);
        post(attempts, "an overlong type", stream, "[{\"type\":\"" + "T".repeat(201) + "\",\"data\":{}}]", 400);
        post(attempts, "string data", stream, "[{\"type\":\"A\",\"data\":\"text\"}]", 400);
        post(attempts, "null data", stream, "[{\"type\":\"A\",\"data\":null}]", 400);
        post(attempts, "no data", stream, "[{\"type\":\"A\"}]", 400);
        post(attempts, "a numeric metadata value", stream, "[{\"type\":\"A\",\"data\":{},\"metadata\":{\"k\":1}}]", 400);
        post(attempts, "an array as metadata", stream, "[{\"type\":\"A\",\"data\":{},\"metadata\":[]}]", 400);
        post(attempts, "an unknown field", stream, "[{\"type\":\"A\",\"data\":{},\"admin\":true}]", 400);
        post(attempts, "a malformed event id", stream, "[{\"eventId\":\"1-1-1-1-1\",\"type\":\"A\",\"data\":{}}]", 400);
        post(attempts, "a numeric event id", stream, "[{\"eventId\":5,\"type\":\"A\",\"data\":{}}]", 400);
        post(attempts, "the same event id twice", stream, "[{\"eventId\":\"11111111-1111-4111-8111-111111111111\",\"type\":\"A\",\"data\":{}},"
                + "{\"eventId\":\"11111111-1111-4111-8111-111111111111\",\"type\":\"A\",\"data\":{}}]", 400);
        post(attempts, "a bad occurredAt", stream, "[{\"type\":\"A\",\"data\":{},\"occurredAt\":\"yesterday\"}]", 400);
        post(attempts, "duplicate keys", stream, "[{\"type\":\"A\",\"type\":\"B\",\"data\":{}}]", 400);
        post(attempts, "trailing content", stream, "[{\"type\":\"A\",\"data\":{}}] []", 400);
        post(attempts, "the NUL escape", stream, "[{\"type\":\"A\",\"data\":{\"s\":\"a\\u0000b\"}}]", 400);
        post(attempts, "deep nesting", stream, "[{\"type\":\"A\",\"data\":" + "[".repeat(5000) + "]".repeat(5000) + "}]", 400);
        post(attempts, "a huge number", stream, "[{\"type\":\"A\",\"data\":{\"n\":1" + "0".repeat(2000) + "}}]", 400);
        attempts.add(new Attempt("a body over 1 MiB with its length",
                client.request(stream).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(bigBody(1_100_000))).build(), 413));
        attempts.add(new Attempt("a chunked body over 1 MiB",
                client.request(stream).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(bigBody(3_000_000).getBytes(StandardCharsets.UTF_8)))).build(), 413));
        post(attempts, "a stream id with a space", "/api/streams/a%20b", "[{\"type\":\"A\",\"data\":{}}]", 400);
        post(attempts, "a stream id with SQL", "/api/streams/x'%3B%20DROP%20TABLE%20events%3B--", "[{\"type\":\"A\",\"data\":{}}]", 400);
        post(attempts, "a stream id with NUL", "/api/streams/a%00b", "[{\"type\":\"A\",\"data\":{}}]", 400);
        post(attempts, "a stream id of dots", "/api/streams/..", "[{\"type\":\"A\",\"data\":{}}]", 400);
        post(attempts, "an overlong stream id", "/api/streams/" + "s".repeat(201), "[{\"type\":\"A\",\"data\":{}}]", 400);
        post(attempts, "a leap second", stream, "[{\"type\":\"A\",\"data\":{},\"occurredAt\":\"2016-12-31T23:59:60Z\"}]", 400);
        post(attempts, "an instant without seconds", stream, "[{\"type\":\"A\",\"data\":{},\"occurredAt\":\"2026-01-31T12:00Z\"}]", 400);
        for (String expected : List.of("abc", "-5", "99999999999999999999999", "1.5", "", "+1")) {
            attempts.add(new Attempt("Expected-Version " + expected, client.request(stream)
                    .header("Expected-Version", expected).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("[{\"type\":\"A\",\"data\":{}}]")).build(), 400));
        }
        for (String query : List.of("limit=0", "limit=-1", "limit=+1", "limit=%D9%A1", "limit=%EF%BC%91", "limit=1001", "limit=99999999999999999999", "limit=abc",
                "limit=1&limit=2", "after=xyz", "after=FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", "after=ffffffffffffffffffffffffffffffff",
                "after=0000000000000000000000000000000g", "types=", "types=A,,B", "streamPrefix=a%25", "streamPrefix=a'b",
                "streamPrefix=" + "p".repeat(201))) {
            get(attempts, "events " + query, "/api/events?" + query, 400);
        }
        for (String query : List.of("from=-1", "from=x", "from=+0", "direction=sideways", "limit=100000")) {
            get(attempts, "stream " + query, "/api/streams/precious-1?" + query, 400);
        }
        get(attempts, "stream after=bad", "/api/events/stream?after=nope", 400);
        attempts.add(new Attempt("a bad Last-Event-ID", client.request("/api/events/stream")
                .header("Last-Event-ID", "../../etc/passwd").GET().build(), 400));
        attempts.add(new Attempt("hard=maybe", client.request("/api/streams/precious-1?hard=maybe").DELETE().build(), 400));
        get(attempts, "an unknown endpoint", "/api/nothing", 404);
        get(attempts, "a path traversal", "/api/streams/../../etc/passwd", 404);
        attempts.add(new Attempt("PUT on a stream", client.request("/api/streams/precious-1")
                .PUT(HttpRequest.BodyPublishers.ofString("[]")).build(), 405));
        attempts.add(new Attempt("PATCH on events", client.request("/api/events")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("[]")).build(), 405));
        attempts.add(new Attempt("a body without Content-Type", client.request(stream)
                .POST(HttpRequest.BodyPublishers.ofString("[{\"type\":\"A\",\"data\":{}}]")).build(), 415));
        attempts.add(new Attempt("a body in UTF-16", client.request(stream).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray("[{\"type\":\"A\",\"data\":{}}]"
                        .getBytes(StandardCharsets.UTF_16))).build(), 400));
        return attempts;
    }

    @Test
    void everyHostileRequestGetsAClearProblemAndTheNodeStaysHealthyWithItsDataIntact() {
        for (Attempt attempt : catalogue()) {
            NodeClient.Response response;
            try {
                response = client.send(attempt.request());
            } catch (RuntimeException e) {
                throw new AssertionError(attempt.name() + ": no answer", e);
            }
            assertThat(response.status()).as(attempt.name() + ": " + response.body()).isEqualTo(attempt.expectedStatus());
            assertThat(response.contentType()).as(attempt.name()).startsWith("application/problem+json");
            var problem = response.json();
            assertThat(problem.get("status").asInt()).as(attempt.name()).isEqualTo(attempt.expectedStatus());
            assertThat(problem.get("title").asText()).as(attempt.name()).isNotBlank();
            assertThat(response.body()).as(attempt.name())
                    .doesNotContain("Exception", "\tat ", "at io.", "at java.", "SQL", "sqlite", "Caused by");
        }

        assertThat(client.get("/health").status()).isEqualTo(200);
        assertThat(client.get("/api/events?limit=1000").body()).isEqualTo(historyBefore);
        assertThat(client.get("/api/streams/target-1").status()).isEqualTo(404);
        var sqlType = client.get("/api/streams/precious-1").json().get("events").get(1);
        assertThat(sqlType.get("type").asText()).isEqualTo("x'); DROP TABLE events; --");
        assertThat(sqlType.get("data").get("q").asText()).isEqualTo("' OR 1=1 --");
    }

    @Test
    void aStreamPrefixIsMatchedLiterallyNotAsAPattern() {
        assertThat(client.get("/api/events?streamPrefix=hostile_").json().get("events")).isEmpty();
        assertThat(client.get("/api/events?streamPrefix=hostileX").json().get("events")).hasSize(1);
    }

    private void post(List<Attempt> attempts, String name, String path, String body, int status) {
        attempts.add(new Attempt(name, client.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), status));
    }

    private void get(List<Attempt> attempts, String name, String path, int status) {
        attempts.add(new Attempt(name, HttpRequest.newBuilder(URI.create(node.baseUri() + path)).GET().build(), status));
    }

    private static String bigBody(int bytes) {
        return "[{\"type\":\"A\",\"data\":{\"s\":\"" + "x".repeat(bytes) + "\"}}]";
    }
}
