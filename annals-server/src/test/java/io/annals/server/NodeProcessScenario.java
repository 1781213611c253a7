package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The end-to-end proof, shared by the SQLite and PostgreSQL runs: many writers append over HTTP
 * while an SSE client follows from the start; the follower must see every acknowledged event
 * exactly once, in the order paging gives; after SIGKILL and a restart every acknowledged event
 * is still there.
 */
final class NodeProcessScenario {

    private static final int WRITERS = 8;
    private static final int APPENDS_PER_WRITER = 40;
    private static final int STREAMS = 25;

    private NodeProcessScenario() {
    }

    static void run(Path workingDirectory, String... storeArgs) throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        List<String> orderBeforeKill;
        var first = NodeProcess.start(workingDirectory, storeArgs);
        try (first) {
            URI base = first.awaitListening();
            var client = new NodeClient(base);
            try (var follower = new SseFollower(client, "/api/events/stream")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> follower.status() == 200);
                appendConcurrently(client, acknowledged);

                await().atMost(Duration.ofSeconds(60)).until(() -> follower.messages().size() >= acknowledged.size());
                List<JsonNode> paged = client.readAll(100);
                List<String> pagedIds = paged.stream().map(e -> e.get("eventId").asText()).toList();
                List<String> streamedIds = follower.messages().stream()
                        .map(m -> read(m.data()).get("eventId").asText()).toList();

                assertThat(new HashSet<>(pagedIds)).containsExactlyInAnyOrderElementsOf(acknowledged);
                assertThat(pagedIds).doesNotHaveDuplicates();
                assertThat(streamedIds).containsExactlyElementsOf(pagedIds);
                assertThat(follower.messages().stream().map(SseFollower.Message::id).toList())
                        .containsExactlyElementsOf(paged.stream().map(e -> e.get("position").asText()).toList());
                orderBeforeKill = pagedIds;
            }
            first.kill();
        }

        var second = NodeProcess.start(workingDirectory, storeArgs);
        try (second) {
            var client = new NodeClient(second.awaitListening());
            List<String> afterRestart = client.readAll(1000).stream().map(e -> e.get("eventId").asText()).toList();
            assertThat(afterRestart).containsExactlyElementsOf(orderBeforeKill);
            assertThat(client.get("/health").status()).isEqualTo(200);

            int exit = second.terminate();
            assertThat(exit).isIn(0, 143);
            assertThat(second.output()).as("exit code %d", exit).anyMatch(line -> line.contains("Annals node stopped"));
        }
    }

    private static void appendConcurrently(NodeClient client, Set<String> acknowledged) throws Exception {
        try (var writers = Executors.newFixedThreadPool(WRITERS)) {
            var results = new ArrayList<Future<?>>();
            for (int w = 0; w < WRITERS; w++) {
                results.add(writers.submit(() -> {
                    var random = ThreadLocalRandom.current();
                    for (int i = 0; i < APPENDS_PER_WRITER; i++) {
                        int count = 1 + random.nextInt(3);
                        var ids = new ArrayList<String>();
                        var body = new StringBuilder("[");
                        for (int e = 0; e < count; e++) {
                            String id = UUID.randomUUID().toString();
                            ids.add(id);
                            body.append(e == 0 ? "" : ",").append("{\"eventId\":\"").append(id)
                                    .append("\",\"type\":\"Tick\",\"data\":{\"n\":").append(i).append("}}");
                        }
                        body.append(']');
                        var response = client.post("/api/streams/load-" + random.nextInt(STREAMS), body.toString());
                        if (response.status() == 201) {
                            acknowledged.addAll(ids);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get();
            }
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(WRITERS * APPENDS_PER_WRITER);
    }

    private static JsonNode read(String json) {
        try {
            return NodeClient.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
