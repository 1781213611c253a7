package io.annals.bench.http;

import io.annals.bench.measure.ThroughputRunner;
import io.annals.bench.subject.OpenedStore;
import io.annals.bench.workload.BenchEvents;
import io.annals.server.AnnalsNode;
import io.annals.server.NodeConfig;
import io.annals.server.store.StoreSettings;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code clients} concurrent HTTP clients, each appending single events to a stream of its own
 * with {@code POST /api/streams/{id}} and the expected version, against a node started in this
 * process on the given store. Client and node share the machine's cores, as a sidecar would, so
 * each client is one keep-alive connection of a wrk-style load generator ({@link HttpLoadGenerator}:
 * one thread drives them all) that leaves the cores to the node.
 */
public final class HttpAppendCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private HttpAppendCase() {
    }

    public static ThroughputRunner.Result measure(OpenedStore opened, StoreSettings description, int clients,
                                                  Duration warmup, Duration measure) throws Exception {
        var node = AnnalsNode.start(NodeConfig.ephemeral(description), opened.store(), List.of());
        try {
            var server = new InetSocketAddress(node.baseUri().getHost(), node.port());
            String host = server.getHostString() + ":" + server.getPort();
            var appends = new PreparedPost[clients];
            for (int c = 0; c < clients; c++) {
                appends[c] = PreparedPost.of(host, "/api/streams/http-client-" + c, Map.of("Content-Type", "application/json"));
            }
            var load = new HttpLoadGenerator(server, clients, TIMEOUT, (client, iteration) -> {
                var event = BenchEvents.event(iteration * clients + client);
                String body = "[{\"eventId\":\"" + event.eventId() + "\",\"type\":\"" + event.type()
                        + "\",\"data\":" + event.json() + "}]";
                return appends[client].request("Expected-Version", iteration == 0 ? "no-stream" : Long.toString(iteration - 1),
                        body.getBytes(StandardCharsets.UTF_8));
            }, (client, iteration, response) -> {
                if (response.status() != 201) {
                    throw new IllegalStateException("the node answered " + response.status() + ": " + response.bodyText());
                }
            });
            return load.run(warmup, measure);
        } finally {
            node.stop();
        }
    }
}
