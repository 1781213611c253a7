package io.annals.bench.http;

import io.annals.bench.measure.ThroughputRunner;
import io.annals.bench.subject.OpenedStore;
import io.annals.bench.workload.BenchEvents;
import io.annals.server.AnnalsNode;
import io.annals.server.NodeConfig;
import io.annals.server.store.StoreSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code clients} concurrent HTTP clients, each appending single events to a stream of its own
 * with {@code POST /api/streams/{id}} and the expected version, against a node started in this
 * process on the given store. Client and node share the machine's cores, as a sidecar would, so
 * each client is one lean keep-alive connection ({@link KeepAliveHttpClient}) that leaves the
 * cores to the node.
 */
public final class HttpAppendCase {

    private static final int TIMEOUT_MILLIS = 30_000;

    private HttpAppendCase() {
    }

    public static ThroughputRunner.Result measure(OpenedStore opened, StoreSettings description, int clients,
                                                  Duration warmup, Duration measure) throws Exception {
        var node = AnnalsNode.start(NodeConfig.ephemeral(description), opened.store(), List.of());
        var connections = new KeepAliveHttpClient[clients];
        try {
            var server = new InetSocketAddress(node.baseUri().getHost(), node.port());
            var appends = new KeepAliveHttpClient.PreparedPost[clients];
            for (int c = 0; c < clients; c++) {
                connections[c] = new KeepAliveHttpClient(server, TIMEOUT_MILLIS);
                appends[c] = connections[c].prepare("/api/streams/http-client-" + c, Map.of("Content-Type", "application/json"));
            }
            return ThroughputRunner.run(clients, warmup, measure, (client, iteration) -> {
                var event = BenchEvents.event(iteration * clients + client);
                String body = "[{\"eventId\":\"" + event.eventId() + "\",\"type\":\"" + event.type()
                        + "\",\"data\":" + event.json() + "}]";
                var response = connections[client].post(appends[client], "Expected-Version",
                        iteration == 0 ? "no-stream" : Long.toString(iteration - 1), body.getBytes(StandardCharsets.UTF_8));
                if (response.status() != 201) {
                    throw new IllegalStateException("the node answered " + response.status() + ": " + response.bodyText());
                }
                return 1;
            });
        } finally {
            closeAll(connections);
            node.stop();
        }
    }

    private static void closeAll(KeepAliveHttpClient[] connections) throws IOException {
        for (KeepAliveHttpClient connection : connections) {
            if (connection != null) {
                connection.close();
            }
        }
    }
}
