package io.annals.server;

import static io.annals.server.NodeClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.annals.server.store.StoreSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** HTTP as clients and browsers expect it: methods, media types, origins, hosts, problem types (issue 12). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpConformanceTest {

    private static final String EVENT = "[{\"type\":\"A\",\"data\":{}}]";
    private static final String ALLOWED_ORIGIN = "https://app.example";

    private AnnalsNode node;
    private NodeClient client;

    @BeforeAll
    void start() {
        node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory())
                .withSettings(Map.of("node.cors-origins", ALLOWED_ORIGIN)));
        client = new NodeClient(node.baseUri());
    }

    @AfterAll
    void stop() {
        node.stop();
    }

    @Test
    void theLegacyPercentUEscapeIsRefusedTheSameWayByEveryMethod() throws IOException {
        String host = "Host: 127.0.0.1:" + node.port() + "\r\nConnection: close\r\n";
        for (String request : List.of("GET /api/streams/%u0041 HTTP/1.1\r\n" + host + "\r\n",
                "DELETE /api/streams/%u0041 HTTP/1.1\r\n" + host + "\r\n",
                "POST /api/streams/%u0041 HTTP/1.1\r\n" + host + "Content-Type: application/json\r\nContent-Length: "
                        + EVENT.length() + "\r\n\r\n" + EVENT)) {
            String answer = raw(request);
            assertThat(answer).as(request).startsWith("HTTP/1.1 400").contains("application/problem+json")
                    .doesNotContain("Exception");
        }
        assertThat(client.get("/api/streams/A").status()).isEqualTo(404);
    }

    @Test
    void aJsonBodyInUtf16OrUtf32IsABadRequest() {
        for (Charset charset : List.of(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE, Charset.forName("UTF-32BE"))) {
            var response = client.send(client.request("/api/streams/wide-1").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(EVENT.getBytes(charset))).build());
            assertProblem(response, 400);
            assertThat(response.json().get("detail").asText()).as(charset.name()).contains("UTF-8");
        }
    }

    @Test
    void aBodyWithoutContentTypeIsRefusedSoThatNoSimpleCrossOriginRequestCanWrite() {
        var response = client.send(client.request("/api/streams/simple-1")
                .POST(HttpRequest.BodyPublishers.ofString(EVENT)).build());
        assertProblem(response, 415);
        var plain = client.send(client.request("/api/streams/simple-1").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(EVENT)).build());
        assertProblem(plain, 415);
        assertThat(client.get("/api/streams/simple-1").status()).isEqualTo(404);
    }

    @Test
    void aWrongMethodIs405WithTheAllowedMethods() {
        var put = client.send(client.request("/api/streams/s-1").PUT(HttpRequest.BodyPublishers.ofString(EVENT)).build());
        assertProblem(put, 405);
        assertThat(put.json().get("type").asText()).isEqualTo("urn:annals:problem:method-not-allowed");
        assertThat(allow("/api/streams/s-1", "PUT")).containsExactlyInAnyOrder("GET", "HEAD", "POST", "DELETE", "OPTIONS");
        assertThat(allow("/api/events", "POST")).containsExactlyInAnyOrder("GET", "HEAD", "OPTIONS");
        assertProblem(client.send(client.request("/api/nothing").PUT(HttpRequest.BodyPublishers.ofString("")).build()), 404);
    }

    @Test
    void optionsAnswersTheMethodsOfAPath() {
        var response = send(client.request("/api/streams/s-1").method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(List.of(response.headers().firstValue("Allow").orElse("").split(",\\s*")))
                .containsExactlyInAnyOrder("GET", "HEAD", "POST", "DELETE", "OPTIONS");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void onlyAnAllowedOriginGetsCorsHeaders() {
        var preflight = send(client.request("/api/streams/s-1").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", ALLOWED_ORIGIN).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type, authorization, expected-version"));
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains(ALLOWED_ORIGIN);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
                .contains("content-type", "authorization", "expected-version");

        var foreign = send(client.request("/api/streams/s-1").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST"));
        assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        var read = send(client.request("/api/events").header("Origin", ALLOWED_ORIGIN).GET());
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).contains(ALLOWED_ORIGIN);
        assertThat(read.headers().allValues("Vary")).anySatisfy(vary -> assertThat(vary).contains("Origin"));
        var foreignRead = send(client.request("/api/events").header("Origin", "https://evil.example").GET());
        assertThat(foreignRead.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void aForeignHostNameIsRefusedOnALoopbackNodeAgainstDnsRebinding() throws IOException {
        assertThat(rawStatus("GET /api/events HTTP/1.1\r\nHost: evil.example:" + node.port() + "\r\nConnection: close\r\n\r\n"))
                .isEqualTo(421);
        String write = "[{\"type\":\"A\",\"data\":{}}]";
        assertThat(rawStatus("POST /api/streams/rebound-1 HTTP/1.1\r\nHost: attacker.test\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + write.length() + "\r\nConnection: close\r\n\r\n" + write)).isEqualTo(421);
        assertThat(rawStatus("GET /api/events HTTP/1.1\r\nHost: localhost:" + node.port() + "\r\nConnection: close\r\n\r\n"))
                .isEqualTo(200);
        assertThat(rawStatus("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:" + node.port() + "\r\nConnection: close\r\n\r\n"))
                .isEqualTo(200);
        assertThat(client.get("/api/streams/rebound-1").status()).isEqualTo(404);
    }

    @Test
    void everyKindOfProblemHasItsOwnType() {
        assertThat(client.post("/api/streams/typed-1", EVENT).status()).isEqualTo(201);
        Map<String, NodeClient.Response> answers = Map.of(
                "wrong-expected-version", client.post("/api/streams/typed-1", EVENT, "Expected-Version", "7"),
                "invalid-input", client.post("/api/streams/typed-1", "[{\"type\":\"A\"}]"),
                "not-found", client.get("/api/streams/never-1"),
                "unsupported-media-type", client.send(client.request("/api/streams/typed-1")
                        .POST(HttpRequest.BodyPublishers.ofString(EVENT)).build()));
        answers.forEach((kind, response) ->
                assertThat(response.json().get("type").asText()).as(response.body()).isEqualTo("urn:annals:problem:" + kind));
        String duplicate = "[{\"eventId\":\"21111111-1111-4111-8111-111111111111\",\"type\":\"A\",\"data\":{}}]";
        assertThat(client.post("/api/streams/typed-2", duplicate).status()).isEqualTo(201);
        assertThat(client.post("/api/streams/typed-2", duplicate.replace("\"A\"", "\"B\"")).json().get("type").asText())
                .isEqualTo("urn:annals:problem:duplicate-event");
        assertThat(client.delete("/api/streams/typed-2?hard=true").status()).isEqualTo(204);
        assertThat(client.get("/api/streams/typed-2").json().get("type").asText())
                .isEqualTo("urn:annals:problem:stream-deleted");
    }

    @Test
    void malformedJsonIsDescribedByWhereNotByTheParsersInternals() {
        var response = client.post("/api/streams/broken-1", "[{\"type\":\"A\",\"data\":{}");
        assertProblem(response, 400);
        assertThat(response.json().get("detail").asText()).contains("line 1").doesNotContain("code ", "Source", "REDACTED");
    }

    private List<String> allow(String path, String method) {
        var response = send(client.request(path).method(method, HttpRequest.BodyPublishers.ofString("")));
        assertThat(response.statusCode()).isEqualTo(405);
        return List.of(response.headers().firstValue("Allow").orElse("").split(",\\s*"));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The status of a request written by hand. */
    private int rawStatus(String request) throws IOException {
        return Integer.parseInt(raw(request).substring(9, 12));
    }

    /**
     * The whole answer to a request written by hand (with {@code Connection: close}), to send
     * what the JDK's client will not: another Host, a path it finds malformed.
     */
    private String raw(String request) throws IOException {
        try (var socket = new Socket(node.baseUri().getHost(), node.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
