package io.annals.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.annals.event.Metadata;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.kafka.testing.TestKafka;
import io.annals.projection.Projection;
import io.annals.projection.ReadModel;
import io.annals.projection.Selection;
import io.annals.store.jdbc.JdbcEventStore;
import io.annals.store.postgres.PostgresEventStore;
import io.annals.store.postgres.testing.TestPostgres;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KafkaProjectionTest {

    private static final CloudEventCodec CODEC = new CloudEventCodec("/annals/test");
    private static final int PARTITIONS = 4;

    private static TestKafka kafka;
    private String schema;
    private JdbcEventStore store;

    @BeforeAll
    static void startBroker() {
        kafka = TestKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @BeforeEach
    void openStore() {
        schema = TestPostgres.get().freshSchema("kafkaprojection");
        store = PostgresEventStore.builder(TestPostgres.get().jdbcUrl()).schema(schema).build();
    }

    @AfterEach
    void dropStore() {
        store.close();
        TestPostgres.get().dropSchema(schema);
    }

    /** One row per applied event, with no key: an event applied twice shows as two rows. */
    private static class Ledger implements Projection {
        @Override
        public String name() {
            return "ledger";
        }

        @Override
        public Selection selection() {
            return Selection.types("Deposited");
        }

        @Override
        public List<String> tables() {
            return List.of("entries");
        }

        @Override
        public void createTables(ReadModel model) throws SQLException {
            try (Statement statement = model.connection().createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + model.table("entries")
                        + " (event_id TEXT NOT NULL, stream TEXT NOT NULL)");
            }
        }

        @Override
        public void apply(RecordedEvent event, ReadModel model) throws SQLException {
            try (PreparedStatement insert = model.connection().prepareStatement("INSERT INTO "
                    + model.table("entries") + " (event_id, stream) VALUES (?, ?)")) {
                insert.setString(1, event.eventId().toString());
                insert.setString(2, event.streamId().value());
                insert.executeUpdate();
            }
        }
    }

    private static RecordedEvent event(int n, String type) {
        return new RecordedEvent(StreamId.of("account", n % 20), n / 20, Position.of(n + 1L), UUID.randomUUID(), type,
                "{\"n\":" + n + "}", Metadata.EMPTY, Instant.now(), Instant.now(), Set.of());
    }

    /** Sends {@code count} deposits (and a few events of another type), keyed by stream; returns the deposits' ids. */
    private static List<String> send(String topic, int from, int count) throws Exception {
        var ids = new ArrayList<String>();
        try (var producer = kafka.producer()) {
            for (int n = from; n < from + count; n++) {
                RecordedEvent event = event(n, n % 10 == 0 ? "Withdrawn" : "Deposited");
                if (event.type().equals("Deposited")) {
                    ids.add(event.eventId().toString());
                }
                ProducerRecord<String, byte[]> record = CODEC.encode(topic, event);
                producer.send(new ProducerRecord<>(topic, null, record.key().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        record.value(), record.headers()));
            }
            producer.flush();
        }
        return ids;
    }

    private List<String> entries() {
        return store.read(connection -> {
            var ids = new ArrayList<String>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT event_id FROM " + store.tableName("entries"))) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        });
    }

    private Map<TopicPartition, Long> storedOffsets() {
        return store.read(connection -> {
            var offsets = new HashMap<TopicPartition, Long>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT topic, kafka_partition, next_offset FROM "
                         + store.tableName("projection_kafka_offsets"))) {
                while (rows.next()) {
                    offsets.put(new TopicPartition(rows.getString(1), rows.getInt(2)), rows.getLong(3));
                }
            }
            return offsets;
        });
    }

    private static Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
        try (var admin = kafka.cluster().admin()) {
            var wanted = new HashMap<TopicPartition, OffsetSpec>();
            for (int p = 0; p < PARTITIONS; p++) {
                wanted.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            var ends = new HashMap<TopicPartition, Long>();
            admin.listOffsets(wanted).all().get().forEach((partition, info) -> ends.put(partition, info.offset()));
            return ends;
        }
    }

    private KafkaEventConsumer member(String topic) {
        return KafkaEventConsumer.start(KafkaConsumerConfig.of(kafka.bootstrapServers(), "ledger-view", List.of(topic),
                KafkaProjection.of(store, new Ledger())));
    }

    @Test
    void twoMembersOfOneGroupShareThePartitionsAndEveryEventLandsOnceAcrossRebalances() throws Exception {
        String topic = "accounts";
        try (var admin = kafka.cluster().admin()) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        }
        var expected = new ArrayList<>(send(topic, 0, 300));
        var first = member(topic);
        await().atMost(Duration.ofSeconds(30)).until(() -> first.handled() > 0);

        // a second member joins: the group splits the partitions between the two
        var second = member(topic);
        await().atMost(Duration.ofSeconds(30)).until(() -> !second.lag().isEmpty()
                && first.lag().size() + second.lag().size() == PARTITIONS);
        assertThat(first.lag().keySet()).doesNotContainAnyElementsOf(second.lag().keySet());
        expected.addAll(send(topic, 300, 300));
        await().atMost(Duration.ofSeconds(30)).until(() -> entries().size() >= expected.size());
        assertThat(first.handled()).isPositive();
        assertThat(second.handled()).isPositive();

        // the first leaves: the second takes its partitions from the offsets stored with the read model
        first.close();
        expected.addAll(send(topic, 600, 300));
        await().atMost(Duration.ofSeconds(30)).until(() -> entries().size() >= expected.size()
                && second.lag().size() == PARTITIONS);
        second.close();

        List<String> applied = entries();
        assertThat(applied).hasSize(expected.size()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(first.handled() + second.handled()).isEqualTo(expected.size());
        assertThat(storedOffsets()).isEqualTo(endOffsets(topic));
    }

    @Test
    void aMemberThatLostItsPartitionCannotApplyItsEventsAgain() throws Exception {
        var partition = new TopicPartition("accounts-fenced", 0);
        var before = KafkaProjection.of(store, new Ledger());
        var after = KafkaProjection.of(store, new Ledger());
        assertThat(before.assigned(List.of(partition))).isEmpty();
        before.handle(partition, List.of(event(1, "Deposited")), 1);

        // the partition moves to another member, which goes on from the stored offset
        assertThat(after.assigned(List.of(partition))).isEqualTo(Map.of(partition, 1L));
        RecordedEvent second = event(2, "Deposited");
        after.handle(partition, List.of(second), 2);

        // the former member, still busy with the same records, is refused and writes nothing
        assertThatThrownBy(() -> before.handle(partition, List.of(second), 2))
                .isInstanceOf(OffsetConflictException.class);
        assertThat(entries()).hasSize(2);
        assertThat(before.assigned(List.of(partition))).isEqualTo(Map.of(partition, 2L));
        before.handle(partition, List.of(event(3, "Deposited")), 3);
        assertThat(entries()).hasSize(3);
    }

    @Test
    void aFailingEventRollsBackItsBatchWithTheOffset() throws Exception {
        var partition = new TopicPartition("accounts-poison", 0);
        var poison = event(7, "Deposited");
        var projection = KafkaProjection.of(store, new Ledger() {
            @Override
            public void apply(RecordedEvent event, ReadModel model) throws SQLException {
                if (event.eventId().equals(poison.eventId())) {
                    throw new IllegalStateException("cannot apply " + event.eventId());
                }
                super.apply(event, model);
            }
        });
        projection.assigned(List.of(partition));
        assertThatThrownBy(() -> projection.handle(partition, List.of(event(6, "Deposited"), poison), 2))
                .isInstanceOf(IllegalStateException.class);
        assertThat(entries()).isEmpty();
        assertThat(storedOffsets()).isEmpty();
    }
}
