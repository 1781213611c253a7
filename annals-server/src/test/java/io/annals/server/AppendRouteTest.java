package io.annals.server;

import static io.annals.server.NodeClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.event.EventData;
import io.annals.event.StreamId;
import io.annals.server.http.ApiKeys;
import io.annals.server.store.StoreSettings;
import io.annals.store.AppendResult;
import io.annals.store.DeleteMode;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import io.annals.store.inmemory.InMemoryEventStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code POST /api/streams/{id}}, the node's hot route, over real HTTP: the answer, every
 * refusal, and the other methods and shapes of its path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AppendRouteTest {

    private static final String EVENT = "[{\"type\":\"A\",\"data\":{\"n\":1}}]";
    private static final int MAX_BYTES = 4096;

    private final AppendThreads threads = new AppendThreads(new InMemoryEventStore());
    private AnnalsNode node;
    private NodeClient client;

    @BeforeAll
    void start() {
        node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()).withMaxRequestBytes(MAX_BYTES),
                threads);
        client = new NodeClient(node.baseUri());
    }

    @AfterAll
    void stop() {
        node.stop();
    }

    @Test
    void anAppendIsCreatedWithItsLocationAndResultAndCanBeReadBack() throws Exception {
        HttpResponse<String> created = client.http().send(client.request("/api/streams/fast-1")
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Expected-Version", "no-stream")
                .POST(HttpRequest.BodyPublishers.ofString(EVENT)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(created.headers().firstValue("Location")).hasValue("/api/streams/fast-1");
        assertThat(created.headers().firstValue("Content-Length")).hasValue(Integer.toString(created.body().length()));
        assertThat(created.headers().firstValue("Server")).isEmpty();
        JsonNode result = NodeClient.MAPPER.readTree(created.body());
        assertThat(result.get("nextExpectedVersion").asLong()).isZero();
        JsonNode events = client.get("/api/streams/fast-1").json().get("events");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("data").toString()).isEqualTo("{\"n\":1}");
        assertThat(events.get(0).get("position").asText()).isEqualTo(result.get("position").asText());
        assertThat(threads.allVirtual()).isTrue();
    }

    @Test
    void aBodyThatIsNotAValidAppendIsABadRequestProblem() {
        var malformed = client.post("/api/streams/fast-2", "[{\"type\":\"A\",\"data\":{}");
        var unknownField = client.post("/api/streams/fast-2", "[{\"type\":\"A\",\"data\":{},\"extra\":1}]");
        var empty = client.post("/api/streams/fast-2", "");

        assertProblem(malformed, 400);
        assertThat(malformed.json().get("detail").asText()).startsWith("malformed JSON");
        assertThat(malformed.json().get("instance").asText()).isEqualTo("/api/streams/fast-2");
        assertProblem(unknownField, 400);
        assertThat(unknownField.json().get("detail").asText()).contains("event 0", "extra");
        assertProblem(empty, 400);
        assertProblem(client.post("/api/streams/fast-2", EVENT, "Expected-Version", "soon"), 400);
        assertProblem(client.post("/api/streams/not%20valid", EVENT), 400);
        assertThat(client.get("/api/streams/fast-2").status()).isEqualTo(404);
    }

    @Test
    void aRefusalBeforeTheBodyArrivedClosesTheConnectionAndSaysSo() throws IOException {
        try (var socket = new Socket(node.baseUri().getHost(), node.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/streams/fast-10 HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nExpected-Version: soon\r\nContent-Length: " + EVENT.length()
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 400 ").containsIgnoringCase("Connection: close")
                    .contains("Expected-Version must be");
        }
        assertThat(client.get("/api/streams/fast-10").status()).isEqualTo(404);
    }

    @Test
    void aBodyDeclaredAsAnotherMediaTypeOrUndeclaredIsUnsupportedButJsonTypesAreRead() {
        var text = client.send(client.request("/api/streams/fast-3").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(EVENT)).build());
        var form = client.send(client.request("/api/streams/fast-3").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(EVENT)).build());

        assertProblem(text, 415);
        assertThat(text.json().get("detail").asText()).contains("text/plain");
        assertProblem(form, 415);
        assertThat(client.get("/api/streams/fast-3").status()).isEqualTo(404);
        assertThat(client.send(client.request("/api/streams/fast-3").header("Content-Type", "application/vnd.annals+json")
                .POST(HttpRequest.BodyPublishers.ofString(EVENT)).build()).status()).isEqualTo(201);
        // a body without a type would be a simple cross-origin request, sent without a preflight
        assertProblem(client.send(client.request("/api/streams/fast-3")
                .POST(HttpRequest.BodyPublishers.ofString(EVENT)).build()), 415);
        assertThat(client.get("/api/streams/fast-3").json().get("events")).hasSize(1);
    }

    @Test
    void aBodyOverTheLimitIsTooLargeWithOrWithoutItsLengthAndTheConnectionStaysUsable() {
        var declared = client.post("/api/streams/fast-4", bigBody(MAX_BYTES + 1));
        var chunked = client.send(client.request("/api/streams/fast-4").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(bigBody(3 * MAX_BYTES).getBytes(StandardCharsets.UTF_8)))).build());

        assertProblem(declared, 413);
        assertThat(declared.json().get("maxBytes").asLong()).isEqualTo(MAX_BYTES);
        assertProblem(chunked, 413);
        assertThat(client.get("/api/streams/fast-4").status()).isEqualTo(404);
        var chunkedWithin = client.send(client.request("/api/streams/fast-4").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(bigBody(MAX_BYTES - 100).getBytes(StandardCharsets.UTF_8)))).build());
        assertThat(chunkedWithin.status()).as(chunkedWithin.body()).isEqualTo(201);
    }

    @Test
    void aWrongExpectedVersionIsAConflictNamingTheActualVersion() {
        client.post("/api/streams/fast-5", "[{\"type\":\"A\",\"data\":{}},{\"type\":\"B\",\"data\":{}}]");

        var conflict = client.post("/api/streams/fast-5", EVENT, "Expected-Version", "0");

        assertProblem(conflict, 409);
        assertThat(conflict.json().get("actualVersion").asLong()).isEqualTo(1);
        assertThat(conflict.json().get("expectedVersion").asText()).isEqualTo("0");
        assertThat(conflict.json().get("streamId").asText()).isEqualTo("fast-5");
        assertThat(client.post("/api/streams/fast-5", EVENT, "Expected-Version", "1").status()).isEqualTo(201);
    }

    @Test
    void aHardDeletedStreamIsGoneForAppends() {
        client.post("/api/streams/fast-6", EVENT);
        assertThat(client.delete("/api/streams/fast-6?hard=true").status()).isEqualTo(204);

        var gone = client.post("/api/streams/fast-6", EVENT);

        assertProblem(gone, 410);
        assertThat(gone.json().get("streamId").asText()).isEqualTo("fast-6");
    }

    @Test
    void aRetryWithTheSameEventIdsAnswersTheFirstResultAndWritesNothing() {
        String body = "[{\"eventId\":\"bbbbbbbb-0000-4000-8000-000000000001\",\"type\":\"A\",\"data\":{}}]";
        var first = client.post("/api/streams/fast-7", body, "Expected-Version", "no-stream");
        client.post("/api/streams/fast-7b", EVENT);

        var retry = client.post("/api/streams/fast-7", body, "Expected-Version", "no-stream");

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(client.get("/api/streams/fast-7").json().get("events")).hasSize(1);
    }

    @Test
    void otherMethodsAndShapesOfTheStreamPathAreRoutedAsTheirOwn() {
        client.post("/api/streams/fast-8", EVENT);

        assertThat(client.get("/api/streams/fast-8").json().get("events")).hasSize(1);
        var put = client.send(client.request("/api/streams/fast-8").PUT(HttpRequest.BodyPublishers.ofString(EVENT)).build());
        assertProblem(put, 405);
        assertThat(put.json().get("detail").asText()).contains("PUT");
        var trailingSlash = client.post("/api/streams/fast-8/", EVENT, "Expected-Version", "0");
        assertThat(trailingSlash.status()).as(trailingSlash.body()).isEqualTo(201);
        assertProblem(client.post("/api/streams/", EVENT), 404);
        assertProblem(client.post("/api/streams/fast-8/more", EVENT), 404);
        assertThat(client.delete("/api/streams/fast-8", "Expected-Version", "1").status()).isEqualTo(204);
        assertThat(client.get("/api/streams/fast-8").status()).isEqualTo(404);
    }

    @Test
    void theRouteIsMeteredUnderItsTemplate() {
        client.post("/api/streams/fast-9", EVENT);
        client.post("/api/streams/fast-9", EVENT, "Expected-Version", "7");

        assertThat(client.get("/metrics").body())
                .contains("http_server_requests_seconds_count{method=\"POST\",route=\"/api/streams/{streamId}\",status=\"201\"}")
                .contains("http_server_requests_seconds_count{method=\"POST\",route=\"/api/streams/{streamId}\",status=\"409\"}")
                .contains("annals_appends_seconds_count{outcome=\"conflict\"}");
    }

    @Test
    void writesNeedTheAdminKey() throws Exception {
        var config = NodeConfig.ephemeral(new StoreSettings.InMemory()).withKeys(ApiKeys.of("user-secret", "admin-secret"));
        try (var keyed = AnnalsNode.start(config)) {
            var anonymous = new NodeClient(keyed.baseUri());

            HttpResponse<String> missing = anonymous.http().send(anonymous.request("/api/streams/k-1")
                    .POST(HttpRequest.BodyPublishers.ofString(EVENT)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(401);
            assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"annals\"");
            assertProblem(anonymous.withKey("admin-secreT").post("/api/streams/k-1", EVENT), 401);
            var user = anonymous.withKey("user-secret").post("/api/streams/k-1", EVENT);
            assertProblem(user, 403);
            assertThat(user.json().get("required").asText()).isEqualTo("admin");
            assertThat(anonymous.withKey("user-secret").get("/api/streams/k-1").status()).isEqualTo(404);

            assertThat(anonymous.withKey("admin-secret").post("/api/streams/k-1", EVENT).status()).isEqualTo(201);
            assertThat(anonymous.withKey("user-secret").get("/api/streams/k-1").status()).isEqualTo(200);
            // refusals are metered under the route they were refused at
            assertThat(anonymous.get("/metrics").body())
                    .contains("http_server_requests_seconds_count{method=\"POST\",route=\"/api/streams/{streamId}\",status=\"401\"} 2")
                    .contains("http_server_requests_seconds_count{method=\"POST\",route=\"/api/streams/{streamId}\",status=\"403\"} 1")
                    .contains("http_server_requests_seconds_count{method=\"POST\",route=\"/api/streams/{streamId}\",status=\"201\"} 1");
        }
    }

    @Test
    void stoppingLetsAnAppendInFlightFinish() throws Exception {
        var held = new HeldAppends(new InMemoryEventStore());
        var slowNode = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()), held);
        var slowClient = new NodeClient(slowNode.baseUri());
        CompletableFuture<HttpResponse<String>> inFlight = slowClient.http().sendAsync(slowClient.request("/api/streams/held-1")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(EVENT)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(held.entered.await(10, TimeUnit.SECONDS)).isTrue();

        var stopping = CompletableFuture.runAsync(slowNode::stop);
        assertThat(stopping).isNotDone();
        held.release.countDown();

        assertThat(inFlight.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
        stopping.get(20, TimeUnit.SECONDS);
    }

    private static String bigBody(int bytes) {
        String prefix = "[{\"type\":\"A\",\"data\":{\"s\":\"";
        String suffix = "\"}}]";
        return prefix + "x".repeat(bytes - prefix.length() - suffix.length()) + suffix;
    }

    /** The in-memory store, noting whether every append ran on a virtual thread. */
    private static final class AppendThreads extends ForwardingStore {
        private final AtomicBoolean platformSeen = new AtomicBoolean();

        AppendThreads(EventStore delegate) {
            super(delegate);
        }

        @Override
        public AppendResult append(StreamId stream, ExpectedVersion expected, List<EventData> events) {
            if (!Thread.currentThread().isVirtual()) {
                platformSeen.set(true);
            }
            return super.append(stream, expected, events);
        }

        boolean allVirtual() {
            return !platformSeen.get();
        }
    }

    /** The in-memory store, holding each append until released. */
    private static final class HeldAppends extends ForwardingStore {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        HeldAppends(EventStore delegate) {
            super(delegate);
        }

        @Override
        public AppendResult append(StreamId stream, ExpectedVersion expected, List<EventData> events) {
            entered.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return super.append(stream, expected, events);
        }
    }
}
