package io.annals.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.serialization.EventSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A small HTTP client for tests, on the JDK's HttpClient. */
final class NodeClient {

    static final ObjectMapper MAPPER = EventSerializer.defaultMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String bearer;

    NodeClient(URI base) {
        this(base, null);
    }

    NodeClient(URI base, String bearer) {
        this.base = base;
        this.bearer = bearer;
    }

    NodeClient withKey(String key) {
        return new NodeClient(base, key);
    }

    HttpClient http() {
        return http;
    }

    URI uri(String pathAndQuery) {
        return base.resolve(pathAndQuery);
    }

    HttpRequest.Builder request(String pathAndQuery) {
        var builder = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        return builder;
    }

    Response get(String pathAndQuery) {
        return send(request(pathAndQuery).GET().build());
    }

    Response post(String pathAndQuery, String body, String... headers) {
        var builder = request(pathAndQuery).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return send(builder.build());
    }

    Response delete(String pathAndQuery, String... headers) {
        var builder = request(pathAndQuery).DELETE();
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return send(builder.build());
    }

    Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reads every event of the global order, page by page. */
    List<JsonNode> readAll(int pageSize) {
        var events = new ArrayList<JsonNode>();
        String after = "";
        while (true) {
            JsonNode page = get("/api/events?limit=" + pageSize + (after.isEmpty() ? "" : "&after=" + after)).json();
            page.get("events").forEach(events::add);
            if (page.get("events").isEmpty()) {
                return events;
            }
            after = page.get("next").asText();
        }
    }

    /** Asserts an RFC 9457 problem document of {@code status}, with no trace of internals. */
    static void assertProblem(Response response, int status) {
        org.assertj.core.api.Assertions.assertThat(response.status()).as(response.body()).isEqualTo(status);
        org.assertj.core.api.Assertions.assertThat(response.contentType()).startsWith("application/problem+json");
        org.assertj.core.api.Assertions.assertThat(response.json().get("status").asInt()).isEqualTo(status);
        org.assertj.core.api.Assertions.assertThat(response.json().get("title").asText()).isNotBlank();
        org.assertj.core.api.Assertions.assertThat(response.body()).doesNotContain("Exception", "\tat ");
    }

    record Response(int status, String contentType, String body) {
        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (" + status + "): " + body, e);
            }
        }
    }
}
