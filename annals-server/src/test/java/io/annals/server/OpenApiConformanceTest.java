package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.node.ApiProblem;
import io.annals.server.store.StoreSettings;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Walks {@code /openapi.json} against the node that serves it: every documented operation, called
 * as documented, answers a documented status with a documented media type; every documented
 * constraint on a parameter is enforced with a documented 400; every problem kind is listed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiConformanceTest {

    private static final String STREAM = "walk-1";
    private static final String EVENT = "[{\"type\":\"A\",\"data\":{}}]";

    private AnnalsNode node;
    private NodeClient client;
    private JsonNode document;

    @BeforeAll
    void start() {
        node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()));
        client = new NodeClient(node.baseUri());
        document = client.get("/openapi.json").json();
        assertThat(client.post("/api/streams/" + STREAM, EVENT).status()).isEqualTo(201);
    }

    @AfterAll
    void stop() {
        node.stop();
    }

    record Operation(String method, String path, JsonNode spec, List<JsonNode> parameters) {
        boolean streams() {
            return spec.at("/responses/200/content").has("text/event-stream");
        }
    }

    private List<Operation> operations() {
        var operations = new ArrayList<Operation>();
        document.get("paths").properties().forEach(path -> {
            var shared = new ArrayList<JsonNode>();
            path.getValue().path("parameters").forEach(parameter -> shared.add(resolve(parameter)));
            path.getValue().properties().forEach(operation -> {
                if (!operation.getKey().equals("parameters")) {
                    var parameters = new ArrayList<>(shared);
                    operation.getValue().path("parameters").forEach(parameter -> parameters.add(resolve(parameter)));
                    operations.add(new Operation(operation.getKey().toUpperCase(Locale.ROOT), path.getKey(),
                            operation.getValue(), parameters));
                }
            });
        });
        return operations;
    }

    @Test
    void everyOperationCalledAsDocumentedAnswersADocumentedStatusAndMediaType() {
        List<Operation> operations = operations();
        assertThat(operations).hasSizeGreaterThanOrEqualTo(10);
        // the delete last, so that the stream is there for the others
        operations.sort((a, b) -> Boolean.compare(a.method().equals("DELETE"), b.method().equals("DELETE")));
        for (Operation operation : operations) {
            var response = client.send(request(operation, operation.path().replace("{streamId}", STREAM)));
            String name = operation.method() + " " + operation.path();
            String status = Integer.toString(response.status());
            JsonNode documented = operation.spec().path("responses").path(status);
            assertThat(documented.isMissingNode()).as(name + " answered " + status + ": " + response.body()).isFalse();
            JsonNode content = resolve(documented).path("content");
            if (content.isMissingNode()) {
                assertThat(response.contentType()).as(name + ": a " + status + " without content has no Content-Type").isEmpty();
            } else {
                String mediaType = response.contentType().split(";")[0].trim();
                assertThat(content.has(mediaType)).as(name + " answered " + status + " as " + mediaType).isTrue();
            }
        }
    }

    @Test
    void everyDocumentedConstraintOnAParameterIsEnforcedWithADocumented400() {
        int checked = 0;
        for (Operation operation : operations()) {
            for (JsonNode parameter : operation.parameters()) {
                String bad = violating(parameter.path("schema"));
                String in = parameter.get("in").asText();
                if (bad == null || in.equals("path")) {
                    continue;
                }
                String name = operation.method() + " " + operation.path() + " " + parameter.get("name").asText() + "=" + bad;
                String path = operation.path().replace("{streamId}", STREAM);
                HttpRequest.Builder request = in.equals("query")
                        ? builder(operation, path + "?" + parameter.get("name").asText() + "=" + URLEncoder.encode(bad, StandardCharsets.UTF_8))
                        : builder(operation, path).header(parameter.get("name").asText(), bad);
                var response = client.send(request.build());
                assertThat(response.status()).as(name + ": " + response.body()).isEqualTo(400);
                assertThat(operation.spec().path("responses").has("400")).as(name).isTrue();
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(12);
    }

    @Test
    void everyKindOfProblemTheNodeAnswersIsListed() {
        var listed = new ArrayList<String>();
        document.at("/components/schemas/Problem/properties/type/enum").forEach(type -> listed.add(type.asText()));
        for (int status : new int[] {400, 401, 403, 404, 405, 409, 410, 413, 414, 415, 421, 431, 500, 503}) {
            assertThat(listed).contains(ApiProblem.TYPE_PREFIX + ApiProblem.kindOf(status));
        }
        for (String kind : List.of("wrong-expected-version", "duplicate-event", "stream-deleted", "append-condition-failed")) {
            assertThat(listed).contains(ApiProblem.TYPE_PREFIX + kind);
        }
    }

    /** A value the schema refuses, or {@code null} when it constrains nothing a test can violate. */
    private static String violating(JsonNode schema) {
        if (schema.has("enum")) {
            return "sideways";
        }
        if (schema.path("type").asText().equals("integer")) {
            return schema.has("minimum") ? Long.toString(schema.get("minimum").asLong() - 1) : "x";
        }
        if (schema.path("type").asText().equals("boolean")) {
            return "maybe";
        }
        if (schema.has("pattern")) {
            return "!bad value!";
        }
        return null;
    }

    private HttpRequest request(Operation operation, String path) {
        return builder(operation, path).build();
    }

    private HttpRequest.Builder builder(Operation operation, String path) {
        HttpRequest.Builder builder = client.request(path);
        if (operation.streams()) {
            // the headers an event stream starts with, without following it for ever
            return builder.method("HEAD", HttpRequest.BodyPublishers.noBody());
        }
        if (operation.spec().has("requestBody")) {
            return builder.header("Content-Type", "application/json")
                    .method(operation.method(), HttpRequest.BodyPublishers.ofString(EVENT));
        }
        return builder.method(operation.method(), HttpRequest.BodyPublishers.noBody());
    }

    private JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? document.at(node.get("$ref").asText().substring(1)) : node;
    }
}
