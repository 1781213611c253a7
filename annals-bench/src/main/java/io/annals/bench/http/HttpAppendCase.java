package io.annals.bench.http;

import io.annals.bench.measure.ThroughputRunner;
import io.annals.bench.subject.OpenedStore;
import io.annals.bench.workload.BenchEvents;
import io.annals.server.AnnalsNode;
import io.annals.server.NodeConfig;
import io.annals.server.store.StoreSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * {@code clients} concurrent HTTP clients, each appending single events to a stream of its own
 * with {@code POST /api/streams/{id}} and the expected version, against a node started in this
 * process on the given store. Client and node share the machine's cores, as a sidecar would.
 */
public final class HttpAppendCase {

    private HttpAppendCase() {
    }

    public static ThroughputRunner.Result measure(OpenedStore opened, StoreSettings description, int clients,
                                                  Duration warmup, Duration measure) throws Exception {
        var node = AnnalsNode.start(NodeConfig.ephemeral(description), opened.store(), List.of());
        try (HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build()) {
            URI base = node.baseUri();
            return ThroughputRunner.run(clients, warmup, measure, (client, iteration) -> {
                var event = BenchEvents.event(iteration * clients + client);
                String body = "[{\"eventId\":\"" + event.eventId() + "\",\"type\":\"" + event.type()
                        + "\",\"data\":" + event.json() + "}]";
                var request = HttpRequest.newBuilder(base.resolve("/api/streams/http-client-" + client))
                        .header("Content-Type", "application/json")
                        .header("Expected-Version", iteration == 0 ? "no-stream" : Long.toString(iteration - 1))
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 201) {
                    throw new IllegalStateException("the node answered " + response.statusCode() + ": " + response.body());
                }
                return 1;
            });
        } finally {
            node.stop();
        }
    }
}
