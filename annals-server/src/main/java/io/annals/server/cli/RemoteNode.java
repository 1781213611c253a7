package io.annals.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.server.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * A running node as the command line reaches it: the JDK's HTTP client on virtual threads, the
 * node's base URL and the bearer key to present. Answers come back as they are; {@link #require}
 * turns one the command did not expect into an error message that says what the node said.
 */
final class RemoteNode implements AutoCloseable {

    static final ObjectMapper JSON = Json.strictMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** An answer: its status and body, and the request's path for messages. */
    record Answer(String path, int status, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("the node answered " + path + " with " + status + " and a body that is not JSON");
            }
        }

        /** The {@code type} of a problem answer, {@code null} when the body is not one. */
        String problemType() {
            try {
                JsonNode type = JSON.readTree(body).get("type");
                return type != null && type.isTextual() ? type.asText() : null;
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /** The problem's {@code detail}, else its {@code title}, else the body cut short. */
        String problemDetail() {
            try {
                JsonNode problem = JSON.readTree(body);
                for (String field : new String[] {"detail", "title"}) {
                    if (problem.path(field).isTextual()) {
                        return problem.get(field).asText();
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not JSON: the raw text below
            }
            return body.length() > 200 ? body.substring(0, 200) + "..." : body;
        }
    }

    /** The node could not be reached, or did not answer; {@link #reason()} says which, in a few words. */
    static final class Unreachable extends IOException {
        private final String reason;

        Unreachable(String reason, String message, IOException cause) {
            super(message, cause);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    private final URI base;
    private final String authorization;
    private final HttpClient http;

    RemoteNode(URI base, String key) {
        this.base = base;
        this.authorization = key == null || key.isBlank() ? null : "Bearer " + key;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    URI base() {
        return base;
    }

    /** {@code segment} encoded for a path ({@code /api/projections/{name}}). */
    static String segment(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    Answer post(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** A request to {@code path} (relative to the base, with or without a leading slash), the key presented. */
    HttpRequest.Builder request(String path) {
        var builder = HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path))
                .timeout(REQUEST_TIMEOUT);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    /** Sends {@code request}; a node that cannot be reached is an error that names its address. */
    Answer send(HttpRequest request) throws IOException, InterruptedException {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(request.uri().getRawPath(), response.statusCode(), response.body());
        } catch (ConnectException e) {
            throw new Unreachable("connection refused", "cannot reach the node at " + base
                    + " (connection refused); is it running? (--url)", e);
        } catch (HttpConnectTimeoutException e) {
            throw new Unreachable("connect timeout", "cannot reach the node at " + base + " (no connection in "
                    + CONNECT_TIMEOUT.toSeconds() + " s)", e);
        } catch (HttpTimeoutException e) {
            throw new Unreachable("no answer in time", "the node at " + base + " did not answer "
                    + request.uri().getRawPath() + " in " + REQUEST_TIMEOUT.toSeconds() + " s", e);
        }
    }

    /**
     * {@code answer} when its status is {@code expected}; otherwise an error with the node's own
     * words, and for a refused key which option gives one.
     */
    static Answer require(Answer answer, int expected, String keyOption) {
        if (answer.status() == expected) {
            return answer;
        }
        String said = answer.problemDetail();
        String hint = switch (answer.status()) {
            case 401, 403 -> " (give the key with " + keyOption + ")";
            default -> "";
        };
        throw new IllegalStateException("the node answered " + answer.path() + " with " + answer.status()
                + (said.isBlank() ? "" : ": " + said) + hint);
    }

    @Override
    public void close() {
        http.close();
    }
}
