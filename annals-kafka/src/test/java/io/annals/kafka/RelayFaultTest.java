package io.annals.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.kafka.testing.TestKafka;

import io.annals.event.RecordedEvent;
import io.annals.store.EventStore;
import io.annals.store.sqlite.SqliteEventStore;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults against a real broker whose broker runs apart from its controller, so that it can stop and start. */
class RelayFaultTest {

    private static TestKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        kafka = TestKafka.start(false);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private static List<RecordedEvent> published(String name, String isolation) {
        return kafka.published(name, isolation);
    }

    private static Map<String, List<RecordedEvent>> byStream(List<RecordedEvent> events) {
        return TestKafka.byStream(events);
    }

    @Test
    void aRelayKilledWhilePublishingLosesNothingAndItsSuccessorDuplicatesNothingCommitted() throws Exception {
        Path file = dir.resolve("store.db");
        List<RecordedEvent> stored;
        try (EventStore store = SqliteEventStore.open(file)) {
            StoreEvents.append(store, 5, 100);
            stored = StoreEvents.all(store);
        }
        Process relay = new ProcessBuilder(javaCommand(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), RelayProcessMain.class.getName(),
                kafka.bootstrapServers(), file.toString(), "killed")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("relay.log").toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> published("killed", "read_committed").size() >= 100);
        } finally {
            relay.destroyForcibly();
            relay.waitFor();
        }
        int beforeKill = published("killed", "read_committed").size();
        assertThat(beforeKill).isLessThan(stored.size());

        try (EventStore store = SqliteEventStore.open(file);
             var successor = KafkaRelay.start(store, kafka.relayConfig("killed").withBatches(100, Duration.ofMillis(5)))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> published("killed", "read_committed").size() >= stored.size());
        }
        // read committed: every event exactly once, each stream in order
        List<RecordedEvent> committed = published("killed", "read_committed");
        assertThat(committed).hasSize(stored.size());
        assertThat(byStream(committed)).isEqualTo(byStream(stored));
        // read uncommitted may also see what the killed relay's open transaction had sent: the same events again
        Set<String> storedIds = stored.stream().map(e -> e.eventId().toString()).collect(Collectors.toSet());
        assertThat(published("killed", "read_uncommitted"))
                .allSatisfy(event -> assertThat(storedIds).contains(event.eventId().toString()));
    }

    @Test
    void theBrokerStoppedAndStartedWhilePublishingLosesNothingAndKeepsEachStreamInOrder() {
        BrokerServer broker = kafka.cluster().brokers().values().iterator().next();
        try (EventStore store = SqliteEventStore.open(dir.resolve("store.db"));
             var relay = KafkaRelay.start(store, kafka.relayConfig("restart")
                     .withBatches(20, Duration.ofMillis(5)))) {
            StoreEvents.append(store, 5, 10);
            await().atMost(Duration.ofSeconds(30)).until(() -> relay.status().publishedEvents() >= 100);
            var appending = Thread.ofVirtual().start(() -> StoreEvents.append(store, 5, 40));
            await().atMost(Duration.ofSeconds(30)).until(() -> relay.status().publishedEvents() >= 120);
            broker.shutdown();
            broker.awaitShutdown();
            appending.join();
            broker.startup();
            await().atMost(Duration.ofSeconds(90)).until(() -> relay.status().publishedEvents() >= 500
                    && relay.status().checkpoint().equals(java.util.Optional.of(StoreEvents.all(store).getLast().position())));
            List<RecordedEvent> committed = published("restart", "read_committed");
            assertThat(committed).hasSize(500);
            assertThat(byStream(committed)).isEqualTo(byStream(StoreEvents.all(store)));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
