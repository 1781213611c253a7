package io.annals.bench.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.bench.measure.ThroughputRunner;
import io.annals.server.AnnalsNode;
import io.annals.server.Examples;
import io.annals.server.NodeConfig;
import io.annals.server.store.StoreSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * {@code clients} concurrent HTTP clients on the user API of a node started in this process as
 * {@code annals serve} starts one (the store API and the user example: module {@code users}, its
 * projection, pattern and process manager, on a fresh store): each registers a user ({@code POST /api/users} with an
 * {@code Idempotency-Key}), then changes that user's email ({@code PUT /api/users/{id}/email}),
 * then registers the next, and so on; every address is new. Driven by the same load generator
 * as {@link HttpAppendCase}, so that the two figures compare the routes, not the clients.
 */
public final class HttpUsersCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> HEADERS = Map.of("Content-Type", "application/json");

    private HttpUsersCase() {
    }

    /** Measures against a node over the (fresh) store of {@code store}. */
    public static ThroughputRunner.Result measure(StoreSettings store, int clients, Duration warmup, Duration measure)
            throws Exception {
        return measure(Examples.start(NodeConfig.ephemeral(store)), clients, warmup, measure);
    }

    /** Drives these requests against {@code node}, whatever serves them there ({@link RawUsersServer}), and stops it. */
    static ThroughputRunner.Result measure(AnnalsNode node, int clients, Duration warmup, Duration measure) throws Exception {
        try {
            var server = new InetSocketAddress(node.baseUri().getHost(), node.port());
            String host = server.getHostString() + ":" + server.getPort();
            var registration = PreparedRequest.of(host, "/api/users", HEADERS);
            // the user each client registered last, whose email its next request changes
            var users = new String[clients];
            var load = new HttpLoadGenerator(server, clients, TIMEOUT, (client, iteration) -> {
                String email = "\"user-" + client + "-" + iteration + "@bench.example\"";
                if (iteration % 2 == 0) {
                    String body = "{\"email\":" + email + ",\"name\":\"Bench User " + client + "\"}";
                    return registration.request("Idempotency-Key", "bench-" + client + "-" + iteration,
                            body.getBytes(StandardCharsets.UTF_8));
                }
                return PreparedRequest.of("PUT", host, "/api/users/" + users[client] + "/email", HEADERS)
                        .request(null, null, ("{\"email\":" + email + "}").getBytes(StandardCharsets.UTF_8));
            }, (client, iteration, response) -> {
                int expected = iteration % 2 == 0 ? 201 : 200;
                if (response.status() != expected) {
                    throw new IllegalStateException("the node answered " + response.status() + " where " + expected
                            + " was due: " + response.bodyText());
                }
                if (iteration % 2 == 0) {
                    users[client] = userId(response);
                }
            });
            return load.run(warmup, measure);
        } finally {
            node.stop();
        }
    }

    private static String userId(ResponseFramer.Response response) throws IOException {
        JsonNode id = JSON.readTree(response.body()).get("userId");
        if (id == null || !id.isTextual()) {
            throw new IOException("a registration answered without a userId: " + response.bodyText());
        }
        return id.asText();
    }
}
