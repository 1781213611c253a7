package io.annals.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.kafka.testing.TestKafka;

import io.annals.event.RecordedEvent;
import io.annals.store.EventStore;
import io.annals.store.sqlite.SqliteEventStore;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaRelayTest {

    private static TestKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        kafka = TestKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private static KafkaRelayConfig config(String name) {
        return kafka.relayConfig(name);
    }

    private static List<RecordedEvent> published(String name) {
        return kafka.published(name, "read_committed");
    }

    private static Map<String, List<RecordedEvent>> byStream(List<RecordedEvent> events) {
        return TestKafka.byStream(events);
    }

    @Test
    void publishesEveryCommittedEventOnceKeyedByStreamInStreamOrder() {
        try (EventStore store = SqliteEventStore.open(dir.resolve("store.db"))) {
            StoreEvents.append(store, 4, 20);
            try (var relay = KafkaRelay.start(store, config("once"))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> relay.status().publishedEvents() == 160);
                StoreEvents.append(store, 4, 5);
                await().atMost(Duration.ofSeconds(30)).until(() -> relay.status().publishedEvents() == 200);
                assertThat(relay.status().leader()).isTrue();
                assertThat(relay.status().checkpoint()).contains(StoreEvents.all(store).getLast().position());
            }
            List<RecordedEvent> stored = StoreEvents.all(store);
            List<RecordedEvent> published = published("once");
            assertThat(published).hasSize(stored.size());
            // partition order is the order of each stream, and each event comes back exactly as stored
            assertThat(byStream(published)).isEqualTo(byStream(stored));
            var records = kafka.readCommitted("once.order");
            assertThat(records).allSatisfy(record ->
                    assertThat(new String(record.key(), StandardCharsets.UTF_8)).startsWith("order-"));
            assertThat(records.stream().collect(Collectors.groupingBy(r -> new String(r.key(), StandardCharsets.UTF_8),
                    Collectors.mapping(ConsumerRecord::partition, Collectors.toSet()))))
                    .allSatisfy((key, partitions) -> assertThat(partitions).hasSize(1));
        }
    }

    @Test
    void theOfficialCloudEventsSdkReadsEveryAttribute() {
        try (EventStore store = SqliteEventStore.open(dir.resolve("store.db"))) {
            StoreEvents.append(store, 1, 2);
            try (var relay = KafkaRelay.start(store, config("sdk"))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> relay.status().publishedEvents() == 4);
            }
            RecordedEvent stored = StoreEvents.all(store).getFirst();
            ConsumerRecord<byte[], byte[]> record = kafka.readCommitted("sdk.order").getFirst();
            try (var deserializer = new CloudEventDeserializer()) {
                CloudEvent event = deserializer.deserialize(record.topic(), record.headers(), record.value());
                assertThat(event.getSpecVersion().toString()).isEqualTo("1.0");
                assertThat(event.getId()).isEqualTo(stored.eventId().toString());
                assertThat(event.getType()).isEqualTo("orderChanged");
                assertThat(event.getSource()).isEqualTo(URI.create("/annals/test"));
                assertThat(event.getSubject()).isEqualTo("order-0");
                assertThat(event.getTime()).isEqualTo(OffsetDateTime.ofInstant(stored.occurredAt(), ZoneOffset.UTC));
                assertThat(event.getDataContentType()).isEqualTo("application/json");
                assertThat(new String(event.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo(stored.data());
                assertThat(event.getExtension("correlationid")).isEqualTo("corr-0");
                assertThat(event.getExtension("causationid")).isEqualTo("cause-0");
                assertThat(event.getExtension("streamversion")).hasToString("0");
                assertThat(event.getExtension("position")).isEqualTo(stored.position().toString());
                assertThat(event.getExtension("recordedtime")).isEqualTo(stored.recordedAt().toString());
                assertThat(event.getExtension("tags")).isEqualTo("[\"note:a,b:c\",\"round:r0\"]");
                assertThat(event.getExtension("metadata")).isEqualTo("{\"tenant\":\"t0\"}");
            }
        }
    }

    @Test
    void oneRelayOfManyPublishesAndAnotherTakesOverWhenItStops() {
        try (EventStore store = SqliteEventStore.open(dir.resolve("store.db"))) {
            StoreEvents.append(store, 2, 10);
            var first = KafkaRelay.start(store, config("pair"));
            var second = KafkaRelay.start(store, config("pair"));
            try {
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        first.status().publishedEvents() + second.status().publishedEvents() == 40);
                // the group settles on one member once both have joined
                await().atMost(Duration.ofSeconds(30)).until(() -> first.status().leader() ^ second.status().leader());
                KafkaRelay leader = first.status().leader() ? first : second;
                KafkaRelay follower = leader == first ? second : first;
                leader.close();
                StoreEvents.append(store, 2, 5);
                await().atMost(Duration.ofSeconds(30)).until(() -> follower.status().leader()
                        && published("pair").size() == 60);
                follower.close();
                assertThat(follower.status().leader()).isFalse();
            } finally {
                first.close();
                second.close();
            }
            assertThat(byStream(published("pair"))).isEqualTo(byStream(StoreEvents.all(store)));
        }
    }
}
