package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.event.StreamId;
import io.annals.server.store.StoreSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamApiTest {

    private AnnalsNode node;
    private NodeClient client;

    @BeforeAll
    void start() {
        node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()));
        client = new NodeClient(node.baseUri());
    }

    @AfterAll
    void stop() {
        node.stop();
    }

    @Test
    void aSoftDeletedStreamIsWrittenAgainAsANewStreamWhoseVersionsGoOn() {
        client.post("/api/streams/soft-again", "[{\"type\":\"A\",\"data\":{}},{\"type\":\"A\",\"data\":{}},{\"type\":\"A\",\"data\":{}}]");
        assertThat(client.delete("/api/streams/soft-again", "Expected-Version", "1").status()).isEqualTo(409);
        assertThat(client.delete("/api/streams/soft-again", "Expected-Version", "2").status()).isEqualTo(204);
        assertThat(client.get("/api/streams/soft-again").status()).isEqualTo(404);

        assertThat(client.post("/api/streams/soft-again", "[{\"type\":\"B\",\"data\":{}}]", "Expected-Version", "2").status())
                .isEqualTo(409);
        var again = client.post("/api/streams/soft-again", "[{\"type\":\"B\",\"data\":{}}]", "Expected-Version", "no-stream");
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().get("nextExpectedVersion").asLong()).isEqualTo(3);
        assertThat(client.get("/api/streams/soft-again").json().get("events")).hasSize(1);
    }

    @Test
    void appendsAndReadsBackEveryFieldOfARecordedEvent() {
        var created = client.post("/api/streams/order-1", """
                [{"eventId":"11111111-2222-4333-8444-555555555555","type":"OrderPlaced","data":{"total":12.50,"items":[1,2]},
                  "metadata":{"correlationId":"c-1"},"occurredAt":"2026-01-31T12:00:00Z"},
                 {"type":"OrderPaid","data":{"by":"card"}}]""", "Expected-Version", "no-stream");

        assertThat(created.status()).isEqualTo(201);
        JsonNode result = created.json();
        assertThat(result.get("nextExpectedVersion").asLong()).isEqualTo(1);

        JsonNode events = client.get("/api/streams/order-1").json().get("events");
        assertThat(events).hasSize(2);
        JsonNode first = events.get(0);
        assertThat(first.get("eventId").asText()).isEqualTo("11111111-2222-4333-8444-555555555555");
        assertThat(first.get("streamId").asText()).isEqualTo("order-1");
        assertThat(first.get("version").asLong()).isZero();
        assertThat(first.get("type").asText()).isEqualTo("OrderPlaced");
        assertThat(first.get("data").toString()).isEqualTo("{\"total\":12.50,\"items\":[1,2]}");
        assertThat(first.get("metadata").get("correlationId").asText()).isEqualTo("c-1");
        assertThat(first.get("occurredAt").asText()).isEqualTo("2026-01-31T12:00:00Z");
        assertThat(first.get("recordedAt").asText()).isNotBlank();
        assertThat(events.get(1).get("position").asText()).isEqualTo(result.get("position").asText());
        assertThat(first.get("position").asText()).isLessThan(events.get(1).get("position").asText());
    }

    @Test
    void aWrongExpectedVersionIsAConflictThatNamesTheActualVersion() {
        client.post("/api/streams/user-1", "[{\"type\":\"A\",\"data\":{}},{\"type\":\"B\",\"data\":{}}]");

        var conflict = client.post("/api/streams/user-1", "[{\"type\":\"C\",\"data\":{}}]", "Expected-Version", "0");

        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.contentType()).startsWith("application/problem+json");
        assertThat(conflict.json().get("actualVersion").asLong()).isEqualTo(1);
        assertThat(client.post("/api/streams/user-1", "[{\"type\":\"C\",\"data\":{}}]", "Expected-Version", "1").status())
                .isEqualTo(201);
        assertThat(client.post("/api/streams/user-2", "[{\"type\":\"C\",\"data\":{}}]", "Expected-Version", "stream-exists")
                .json().get("actualVersion").asLong()).isEqualTo(-1);
    }

    @Test
    void repeatingAnAppendWithTheSameEventIdsAnswersTheFirstResultAndWritesNothing() {
        String body = """
                [{"eventId":"aaaaaaaa-0000-4000-8000-000000000001","type":"A","data":{}},
                 {"eventId":"aaaaaaaa-0000-4000-8000-000000000002","type":"B","data":{}}]""";
        var first = client.post("/api/streams/cart-9", body, "Expected-Version", "no-stream");
        client.post("/api/streams/other-1", "[{\"type\":\"X\",\"data\":{}}]");

        var retry = client.post("/api/streams/cart-9", body, "Expected-Version", "no-stream");

        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(client.get("/api/streams/cart-9").json().get("events")).hasSize(2);
        assertThat(client.get("/api/events?streamPrefix=cart-9").json().get("events")).hasSize(2);
    }

    @Test
    void readsBackwardAndInPages() {
        client.post("/api/streams/log-1", "[" + "{\"type\":\"T\",\"data\":{}},".repeat(9) + "{\"type\":\"T\",\"data\":{}}]");

        JsonNode backward = client.get("/api/streams/log-1?direction=backward&limit=3").json().get("events");
        assertThat(backward).extracting(e -> e.get("version").asLong()).containsExactly(9L, 8L, 7L);
        JsonNode middle = client.get("/api/streams/log-1?from=4&limit=2").json().get("events");
        assertThat(middle).extracting(e -> e.get("version").asLong()).containsExactly(4L, 5L);
        JsonNode backwardFrom = client.get("/api/streams/log-1?direction=backward&from=1").json().get("events");
        assertThat(backwardFrom).extracting(e -> e.get("version").asLong()).containsExactly(1L, 0L);
    }

    @Test
    void anUnknownStreamIsNotFound() {
        var missing = client.get("/api/streams/nobody-1");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(missing.json().get("status").asInt()).isEqualTo(404);
    }

    @Test
    void aSoftDeletedStreamReadsAsMissingAndContinuesItsVersionsWhenWrittenAgain() {
        client.post("/api/streams/task-1", "[{\"type\":\"A\",\"data\":{}},{\"type\":\"B\",\"data\":{}}]");

        assertThat(client.delete("/api/streams/task-1", "Expected-Version", "1").status()).isEqualTo(204);
        assertThat(client.get("/api/streams/task-1").status()).isEqualTo(404);

        var again = client.post("/api/streams/task-1", "[{\"type\":\"C\",\"data\":{}}]", "Expected-Version", "no-stream");
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().get("nextExpectedVersion").asLong()).isEqualTo(2);
        assertThat(client.get("/api/streams/task-1").json().get("events"))
                .extracting(e -> e.get("type").asText()).containsExactly("C");
    }

    @Test
    void aHardDeletedStreamIsGoneForReadsAndWrites() {
        client.post("/api/streams/temp-1", "[{\"type\":\"A\",\"data\":{}}]");

        assertThat(client.delete("/api/streams/temp-1?hard=true").status()).isEqualTo(204);

        assertThat(client.get("/api/streams/temp-1").status()).isEqualTo(410);
        assertThat(client.post("/api/streams/temp-1", "[{\"type\":\"B\",\"data\":{}}]").status()).isEqualTo(410);
        assertThat(client.delete("/api/streams/temp-1").status()).isEqualTo(410);
        assertThat(node.store().streamState(StreamId.of("temp-1")))
                .isEqualTo(io.annals.store.StreamState.tombstoned());
    }

    @Test
    void aDeleteWithAWrongExpectedVersionIsAConflict() {
        client.post("/api/streams/keep-1", "[{\"type\":\"A\",\"data\":{}}]");

        var conflict = client.delete("/api/streams/keep-1", "Expected-Version", "5");

        assertThat(conflict.status()).isEqualTo(409);
        assertThat(client.get("/api/streams/keep-1").status()).isEqualTo(200);
    }
}
