package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.server.store.StoreSettings;
import io.annals.store.AppendResult;
import io.annals.store.DeleteMode;
import io.annals.store.EventBatchHandler;
import io.annals.store.EventFilter;
import io.annals.store.EventStore;
import io.annals.store.EventStoreUnavailableException;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import io.annals.store.StreamState;
import io.annals.store.Subscription;
import io.annals.store.inmemory.InMemoryEventStore;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** When the store cannot be reached the node says so with 503s, and recovers when it comes back. */
class StoreOutageTest {

    @Test
    void anUnreachableStoreGives503WithRetryAfterAndHealthDownThenRecovers() {
        var store = new SwitchableStore(new InMemoryEventStore());
        try (var node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()), store)) {
            var client = new NodeClient(node.baseUri());
            store.down.set(true);

            var append = client.send(client.request("/api/streams/o-1").header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("[{\"type\":\"A\",\"data\":{}}]")).build());
            assertThat(append.status()).isEqualTo(503);
            assertThat(append.contentType()).startsWith("application/problem+json");
            assertThat(append.body()).doesNotContain("SQLException", "connection refused", "\tat ");
            assertThat(append.json().get("errorId").asText()).isNotBlank();
            var stream = client.get("/api/events/stream");
            assertThat(stream.status()).isEqualTo(503);
            assertThat(stream.contentType()).startsWith("application/problem+json");
            var health = client.get("/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().get("store").get("status").asText()).isEqualTo("DOWN");

            store.down.set(false);

            assertThat(client.post("/api/streams/o-1", "[{\"type\":\"A\",\"data\":{}}]").status()).isEqualTo(201);
            assertThat(client.get("/health").status()).isEqualTo(200);
        }
    }

    @Test
    void theRetryAfterHeaderAccompaniesA503() throws Exception {
        var store = new SwitchableStore(new InMemoryEventStore());
        try (var node = AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()), store)) {
            var client = new NodeClient(node.baseUri());
            store.down.set(true);
            var response = client.http().send(client.request("/api/events").GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).contains("1");
        }
    }

    /** Delegates to a real in-memory store, or fails every call as an unreachable database would. */
    private static final class SwitchableStore extends ForwardingStore {
        final AtomicBoolean down = new AtomicBoolean();

        SwitchableStore(EventStore delegate) {
            super(delegate);
        }

        private void check() {
            if (down.get()) {
                throw new EventStoreUnavailableException("database unreachable",
                        new SQLException("Connection refused: connection refused to db:5432"));
            }
        }

        @Override
        public AppendResult append(StreamId streamId, ExpectedVersion expected, List<EventData> events) {
            check();
            return super.append(streamId, expected, events);
        }

        @Override
        public List<RecordedEvent> readStream(StreamId streamId, long fromVersion, ReadDirection direction, int limit) {
            check();
            return super.readStream(streamId, fromVersion, direction, limit);
        }

        @Override
        public StreamState streamState(StreamId streamId) {
            check();
            return super.streamState(streamId);
        }

        @Override
        public List<RecordedEvent> readAll(Position after, int limit, EventFilter filter) {
            check();
            return super.readAll(after, limit, filter);
        }

        @Override
        public Subscription subscribeToAll(Position after, EventFilter filter, int maxBatch,
                                           EventBatchHandler handler) {
            check();
            return super.subscribeToAll(after, filter, maxBatch, handler);
        }

        @Override
        public void delete(StreamId streamId, ExpectedVersion expected, DeleteMode mode) {
            check();
            super.delete(streamId, expected, mode);
        }
    }
}
