package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.event.EventData;
import io.annals.event.StreamId;
import io.annals.server.store.StoreSettings;
import io.annals.store.AppendLimits;
import io.annals.store.ExpectedVersion;
import io.annals.store.inmemory.InMemoryEventStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the store API's meters and health say (issue 12, item 3). */
class StoreApiMetricsTest {

    @Test
    void aRetryThatWritesNothingCountsNoEventsAppended() {
        try (var node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()))) {
            var client = new NodeClient(node.baseUri());
            String withIds = "[{\"eventId\":\"31111111-1111-4111-8111-111111111111\",\"type\":\"A\",\"data\":{}},"
                    + "{\"eventId\":\"31111111-1111-4111-8111-111111111112\",\"type\":\"A\",\"data\":{}}]";
            var first = client.post("/api/streams/r-1", withIds);
            var retry = client.post("/api/streams/r-1", withIds);
            assertThat(retry.status()).isEqualTo(201);
            assertThat(retry.body()).isEqualTo(first.body());
            assertThat(client.post("/api/streams/r-1", "[{\"type\":\"B\",\"data\":{}}]").status()).isEqualTo(201);

            assertThat(client.get("/metrics").body()).contains("annals_events_appended_total 3.0")
                    .contains("annals_appends_seconds_count{outcome=\"ok\"} 3");
        }
    }

    @Test
    void replayingOldHistoryIsNoLagOnceTheClientHasCaughtUp() {
        var past = Clock.fixed(Instant.parse("2020-01-01T00:00:00Z"), ZoneOffset.UTC);
        var store = new InMemoryEventStore(AppendLimits.DEFAULT, past);
        store.append(StreamId.of("history-1"), ExpectedVersion.any(),
                List.of(EventData.of("A", "{}"), EventData.of("B", "{}"), EventData.of("C", "{}")));
        try (var node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()), store);
             var follower = new SseFollower(new NodeClient(node.baseUri()), "/api/events/stream")) {
            var client = new NodeClient(node.baseUri());
            await().atMost(Duration.ofSeconds(10)).until(() -> follower.messages().size() == 3);

            String metrics = client.get("/metrics").body();
            assertThat(metrics).contains("annals_subscription_lag_seconds 0.0").doesNotContain("annals_subscription_lag_seconds_max");
        }
    }

    @Test
    void healthStopsCountingALiveStreamAsSoonAsItsClientHasLeft() throws IOException {
        var config = NodeConfig.ephemeral(new StoreSettings.InMemory()).withSettings(Map.of("store-api.heartbeat", "20s"));
        try (var node = AnnalsNode.start(config)) {
            var client = new NodeClient(node.baseUri());
            try (var socket = new Socket(node.baseUri().getHost(), node.port())) {
                socket.getOutputStream().write(("GET /api/events/stream HTTP/1.1\r\nHost: 127.0.0.1:" + node.port()
                        + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                String start = new String(in.readNBytes(15), StandardCharsets.US_ASCII);
                assertThat(start).startsWith("HTTP/1.1 200");
                await().atMost(Duration.ofSeconds(10)).until(() -> openStreams(client) == 1);
            }
            // well within the heartbeat, which is when writing would have found out
            await().atMost(Duration.ofSeconds(5)).until(() -> openStreams(client) == 0);
            assertThat(client.get("/metrics").body()).contains("annals_subscriptions_open 0.0");
        }
    }

    private static int openStreams(NodeClient client) {
        return client.get("/health").json().get("subscriptions").get("open").asInt();
    }
}
