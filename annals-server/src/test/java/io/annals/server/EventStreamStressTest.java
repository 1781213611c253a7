package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.server.store.StoreSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several SSE clients, joining at different moments, while writers append concurrently on the
 * SQLite store: each client sees every event after its start exactly once, in the global order.
 */
class EventStreamStressTest {

    private static final int WRITERS = 6;
    private static final int APPENDS = 20;

    @Test
    void everyFollowerSeesEveryEventOnceInGlobalOrder(@TempDir Path directory) throws Exception {
        try (var node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.Sqlite(directory)))) {
            var client = new NodeClient(node.baseUri());
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            var fromStart = new SseFollower(client, "/api/events/stream");
            var followers = new ArrayList<SseFollower>(List.of(fromStart));
            try (var writers = Executors.newVirtualThreadPerTaskExecutor()) {
                var results = new ArrayList<Future<?>>();
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    results.add(writers.submit(() -> {
                        for (int i = 0; i < APPENDS; i++) {
                            String id = UUID.randomUUID().toString();
                            var response = client.post("/api/streams/stress-" + (i % 4),
                                    "[{\"eventId\":\"" + id + "\",\"type\":\"W" + writer + "\",\"data\":{\"i\":" + i + "}}]");
                            if (response.status() == 201) {
                                acknowledged.add(id);
                            }
                        }
                        return null;
                    }));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= WRITERS * APPENDS / 3);
                followers.add(new SseFollower(client, "/api/events/stream"));
                for (Future<?> result : results) {
                    result.get();
                }
            }
            assertThat(acknowledged).hasSize(WRITERS * APPENDS);

            var all = client.readAll(200);
            var positions = all.stream().map(e -> e.get("position").asText()).toList();
            for (SseFollower follower : followers) {
                await().atMost(Duration.ofSeconds(30)).until(() -> follower.messages().size() >= 1
                        && follower.messages().getLast().id().equals(positions.getLast()));
                List<String> seen = follower.messages().stream().map(SseFollower.Message::id).toList();
                int start = positions.indexOf(seen.getFirst());
                assertThat(seen).containsExactlyElementsOf(positions.subList(start, positions.size()));
                follower.close();
            }
            assertThat(fromStart.messages().stream().map(m -> eventId(m.data())).toList())
                    .containsExactlyInAnyOrderElementsOf(acknowledged);
        }
    }

    private static String eventId(String json) {
        try {
            return NodeClient.MAPPER.readTree(json).get("eventId").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
