package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.annals.kafka.CloudEventCodec;
import io.annals.kafka.testing.TestKafka;
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
