package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.event.RecordedEvent;
import io.annals.kafka.CloudEventCodec;
import io.annals.kafka.KafkaConsumerConfig;
import io.annals.kafka.KafkaProjection;
import io.annals.kafka.node.KafkaModule;
import io.annals.kafka.testing.TestKafka;
import io.annals.projection.Projection;
import io.annals.projection.ReadModel;
import io.annals.projection.Selection;
import io.annals.store.jdbc.JdbcEventStore;
import io.annals.store.sqlite.SqliteEventStore;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.kafka.clients.admin.NewTopic;
import io.annals.server.http.ApiKeys;
import io.annals.server.store.StoreSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code kafka} module in a node over SQLite, against a real broker: the relay, its health part and meters. */
class KafkaModuleTest {

    private static final String ADMIN_KEY = "admin-secret";
    private static TestKafka kafka;

    @TempDir
    Path directory;

    @BeforeAll
    static void startBroker() {
        kafka = TestKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private NodeConfig config(Map<String, String> settings) {
        var all = new HashMap<>(Map.of("kafka.bootstrap", kafka.bootstrapServers()));
        all.putAll(settings);
        return configWithout(all);
    }

    private NodeConfig configWithout(Map<String, String> settings) {
        var all = new HashMap<>(Map.of("kafka.relay-id", "node", "kafka.offsets-topic", "node.offsets",
                "kafka.topic-prefix", "node.", "kafka.partitions", "2", "kafka.session-timeout", "2s"));
        all.putAll(settings);
        return NodeConfig.ephemeral(new StoreSettings.Sqlite(directory.resolve("data")))
                .withKeys(ApiKeys.of(ADMIN_KEY, ADMIN_KEY))
                .withModules(List.of("store-api", "kafka"))
                .withSettings(all);
    }

    @Test
    void eventsAppendedToTheNodeReachKafkaAndTheRelayShowsInHealthAndMetrics() {
        try (var node = AnnalsNode.start(config(Map.of()))) {
            var admin = new NodeClient(node.baseUri()).withKey(ADMIN_KEY);
            for (int i = 0; i < 3; i++) {
                assertThat(admin.post("/api/streams/order-" + i,
                        "[{\"type\":\"OrderPlaced\",\"data\":{\"n\":" + i + "}}]").status()).isEqualTo(201);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> kafka.topics().contains("node.order")
                    && kafka.readCommitted("node.order").size() == 3);
            assertThat(kafka.readCommitted("node.order")).extracting(record -> CloudEventCodec.decode(record).type())
                    .containsOnly("OrderPlaced");

            var health = admin.get("/health").json().get("kafka");
            assertThat(health.get("status").asText()).isEqualTo("UP");
            assertThat(health.get("leader").asBoolean()).isTrue();
            assertThat(health.get("publishedEvents").asLong()).isEqualTo(3);
            assertThat(admin.get("/metrics").body())
                    .contains("annals_kafka_relay_published_events_total 3.0")
                    .contains("annals_kafka_relay_lag_seconds ")
                    .contains("annals_kafka_relay_lag_events 0.0")
                    .contains("annals_kafka_relay_leader 1.0");
        }
    }

    /** Counts orders per stream: a read model in the node's own SQLite file, fed from the relay's topic. */
    private static final class OrderCounts implements Projection {
        @Override
        public String name() {
            return "order-counts";
        }

        @Override
        public Selection selection() {
            return Selection.types("OrderPlaced");
        }

        @Override
        public List<String> tables() {
            return List.of("order_counts");
        }

        @Override
        public void createTables(ReadModel model) throws SQLException {
            try (Statement statement = model.connection().createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + model.table("order_counts") + " (event_id TEXT PRIMARY KEY)");
            }
        }

        @Override
        public void apply(RecordedEvent event, ReadModel model) throws SQLException {
            try (var insert = model.connection().prepareStatement("INSERT INTO " + model.table("order_counts")
                    + " (event_id) VALUES (?)")) {
                insert.setString(1, event.eventId().toString());
                insert.executeUpdate();
            }
        }
    }

    @Test
    void aConsumerTheApplicationGivesRunsInTheNodeAndItsLagShowsInMetricsAndTheOperationsRoute() throws Exception {
        try (var admin = kafka.cluster().admin()) {
            admin.createTopics(List.of(new NewTopic("consumers.order", 2, (short) 1))).all().get();
        }
        var store = SqliteEventStore.open(directory.resolve("node.db"));
        var module = new KafkaModule(setup -> List.of(KafkaConsumerConfig.of(setup.bootstrapServers(), "node-view",
                List.of("consumers.order"), KafkaProjection.of((JdbcEventStore) setup.store(), new OrderCounts()))));
        // a relay and topics of its own: the other tests of the class publish to the same broker
        NodeConfig config = config(Map.of("kafka.relay-id", "consumers", "kafka.offsets-topic", "consumers.offsets",
                "kafka.topic-prefix", "consumers."));
        try (var node = AnnalsNode.start(config, store, List.of(new io.annals.server.http.StoreApiModule(), module))) {
            var client = new NodeClient(node.baseUri());
            var admin = client.withKey(ADMIN_KEY);
            for (int i = 0; i < 4; i++) {
                assertThat(admin.post("/api/streams/order-" + i, "[{\"type\":\"OrderPlaced\",\"data\":{}}]").status())
                        .isEqualTo(201);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                JsonNode consumer = admin.get("/api/kafka").json().get("consumers").get(0);
                return consumer.get("handled").asLong() == 4 && consumer.get("partitions").size() == 2;
            });
            JsonNode status = admin.get("/api/kafka").json();
            assertThat(status.get("relay").get("leader").asBoolean()).isTrue();
            JsonNode consumer = status.get("consumers").get(0);
            assertThat(consumer.get("group").asText()).isEqualTo("node-view");
            assertThat(consumer.get("lag").asLong()).isZero();
            assertThat(consumer.get("partitions").get(0).get("topic").asText()).isEqualTo("consumers.order");
            int rows = store.read(connection -> {
                try (var count = connection.createStatement().executeQuery("SELECT count(*) FROM order_counts")) {
                    count.next();
                    return count.getInt(1);
                }
            });
            assertThat(rows).isEqualTo(4);
            assertThat(admin.get("/health").json().get("kafka").get("consumerLag").get("node-view").asLong()).isZero();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(admin.get("/metrics").body())
                    .contains("annals_kafka_consumer_group_lag{group=\"node-view\"} 0.0")
                    .contains("annals_kafka_consumer_lag{group=\"node-view\",partition=\"0\",topic=\"consumers.order\"} 0.0")
                    .contains("annals_kafka_consumer_lag{group=\"node-view\",partition=\"1\",topic=\"consumers.order\"} 0.0"));
            assertThat(client.get("/api/kafka").status()).isEqualTo(401);
        }
    }

    @Test
    void badSettingsStopTheStartWithAMessageThatNamesTheKey() {
        assertThatThrownBy(() -> AnnalsNode.start(configWithout(Map.of()))).hasMessageContaining("kafka.bootstrap");
        assertThatThrownBy(() -> AnnalsNode.start(config(Map.of("kafka.replication", "0"))))
                .hasMessageContaining("kafka.replication");
        assertThatThrownBy(() -> AnnalsNode.start(config(Map.of("kafka.batch-delay", "soon"))))
                .hasMessageContaining("kafka.batch-delay");
        assertThatThrownBy(() -> AnnalsNode.start(config(Map.of("kafka.topic-prefix", "no spaces"))))
                .hasMessageContaining("kafka");
    }
}
