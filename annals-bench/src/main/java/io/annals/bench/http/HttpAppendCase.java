package io.annals.bench.http;

import io.annals.bench.measure.ThroughputRunner;
import io.annals.bench.workload.BenchEvents;
import io.annals.node.NodeContext;
import io.annals.node.NodeModule;
import io.annals.node.Role;
import io.annals.server.AnnalsNode;
import io.annals.server.NodeConfig;
import io.annals.server.http.streams.StreamRoutes;
import io.annals.server.store.StoreSettings;
import io.annals.store.EventStore;
import io.annals.store.inmemory.InMemoryEventStore;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code clients} concurrent HTTP clients, each appending single events to a stream of its own
 * with {@code POST /api/streams/{id}} and the expected version, against a node started in this
 * process. Client and node share the machine's cores, as a sidecar would, so each client is one
 * keep-alive connection of a wrk-style load generator ({@link HttpLoadGenerator}: one thread drives
 * them all) that leaves the cores to the node.
 */
public final class HttpAppendCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** What the no-op node answers every append with: the size and shape of a real answer. */
    private static final byte[] FIXED_ANSWER = "{\"nextExpectedVersion\":0,\"position\":\"0000000000000001\"}"
            .getBytes(StandardCharsets.US_ASCII);

    private HttpAppendCase() {
    }

    /** The node with its store API on {@code store}. */
    public static ThroughputRunner.Result measure(EventStore store, StoreSettings description, int clients,
                                                  Duration warmup, Duration measure) throws Exception {
        return measure(AnnalsNode.start(NodeConfig.ephemeral(description), store), clients, warmup, measure);
    }

    /**
     * The ceiling: the node's HTTP stack (the same Javalin and Jetty configuration, the same
     * request pipeline) with, instead of the store API, one module that answers every append with
     * a fixed 201 and does nothing else, not even read the body.
     */
    public static ThroughputRunner.Result measureNoOp(int clients, Duration warmup, Duration measure) throws Exception {
        NodeModule noOp = new NodeModule() {
            @Override
            public String name() {
                return "no-op";
            }

            @Override
            public void install(NodeContext node) {
                node.routes().post(StreamRoutes.PATH, Role.ADMIN, ctx -> node.json().sendBytes(ctx, 201, FIXED_ANSWER));
            }
        };
        var node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()), new InMemoryEventStore(), List.of(noOp));
        return measure(node, clients, warmup, measure);
    }

    private static ThroughputRunner.Result measure(AnnalsNode node, int clients, Duration warmup, Duration measure)
            throws Exception {
        try {
            var server = new InetSocketAddress(node.baseUri().getHost(), node.port());
            String host = server.getHostString() + ":" + server.getPort();
            var appends = new PreparedRequest[clients];
            for (int c = 0; c < clients; c++) {
                appends[c] = PreparedRequest.of(host, "/api/streams/http-client-" + c, Map.of("Content-Type", "application/json"));
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
