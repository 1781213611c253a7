package io.annals.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.kafka.testing.TestKafka;

import io.annals.event.Metadata;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.EventHandler;
import io.annals.store.postgres.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

class KafkaEventConsumerTest {

    private static final RetryPolicy FAST_RETRY = new RetryPolicy(3, Duration.ofMillis(50), 2.0, Duration.ofSeconds(1));
    private static final CloudEventCodec CODEC = new CloudEventCodec("/annals/test");

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

    private static void createTopic(String topic, int partitions) throws Exception {
        try (var admin = kafka.cluster().admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    private static RecordedEvent event(String stream, long version, String type) {
        return new RecordedEvent(StreamId.of(stream), version, Position.of(version + 1), UUID.randomUUID(), type,
                "{\"n\":" + version + "}", Metadata.of(Metadata.CORRELATION_ID, "c"), Instant.now(), Instant.now(),
                Set.of());
    }

    private static void send(String topic, RecordedEvent... events) throws Exception {
        try (var producer = kafka.producer()) {
            for (RecordedEvent event : events) {
                ProducerRecord<String, byte[]> record = CODEC.encode(topic, event);
                producer.send(new ProducerRecord<>(topic, 0, record.key().getBytes(StandardCharsets.UTF_8),
                        record.value(), record.headers())).get();
            }
        }
    }

    private static KafkaConsumerConfig config(String group, String topic, Map<String, EventHandler> handlers) {
        return KafkaConsumerConfig.of(kafka.bootstrapServers(), group, List.of(topic), handlers).withRetry(FAST_RETRY);
    }

    private static long committedOffset(String group, String topic) throws Exception {
        try (var admin = kafka.cluster().admin()) {
            var offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            var offset = offsets.get(new TopicPartition(topic, 0));
            return offset == null ? -1 : offset.offset();
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aFailingHandlerIsRetriedWithGrowingBackOffThenDeadLetteredAndThePartitionGoesOn() throws Exception {
        createTopic("retry", 1);
        var handled = new CopyOnWriteArrayList<UUID>();
        var flakyAttempts = new CopyOnWriteArrayList<Long>();
        var brokenAttempts = new AtomicInteger();
        EventHandler record = event -> handled.add(event.eventId());
        EventHandler flaky = event -> {
            flakyAttempts.add(System.nanoTime());
            if (flakyAttempts.size() < 3) {
                throw new IllegalStateException("not yet");
            }
            handled.add(event.eventId());
        };
        EventHandler broken = event -> {
            brokenAttempts.incrementAndGet();
            throw new IllegalArgumentException("cannot handle " + event.eventId());
        };
        RecordedEvent first = event("order-1", 0, "placed");
        RecordedEvent second = event("order-1", 1, "flaky");
        RecordedEvent third = event("order-1", 2, "broken");
        RecordedEvent fourth = event("order-1", 3, "placed");
        send("retry", first, second, third, fourth);

        try (var consumer = KafkaEventConsumer.start(config("retry-group", "retry",
                Map.of("placed", record, "flaky", flaky, "broken", broken)))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 3 && committedOffset("retry-group", "retry") == 4);
            assertThat(consumer.deadLettered()).isEqualTo(1);
        }
        assertThat(handled).containsExactly(first.eventId(), second.eventId(), fourth.eventId());
        assertThat(brokenAttempts).hasValue(3);
        assertThat(Duration.ofNanos(flakyAttempts.get(1) - flakyAttempts.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(Duration.ofNanos(flakyAttempts.get(2) - flakyAttempts.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(100));

        List<ConsumerRecord<byte[], byte[]>> dead = kafka.readCommitted("retry-dlt");
        assertThat(dead).hasSize(1);
        ConsumerRecord<byte[], byte[]> letter = dead.getFirst();
        assertThat(letter.partition()).isZero();
        assertThat(CloudEventCodec.decode(letter)).isEqualTo(third);
        assertThat(header(letter, DeadLetterHeaders.EXCEPTION)).isEqualTo(IllegalArgumentException.class.getName());
        assertThat(header(letter, DeadLetterHeaders.EXCEPTION_MESSAGE)).isEqualTo("cannot handle " + third.eventId());
        assertThat(header(letter, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo("retry");
        assertThat(header(letter, DeadLetterHeaders.ORIGINAL_PARTITION)).isEqualTo("0");
        assertThat(header(letter, DeadLetterHeaders.ORIGINAL_OFFSET)).isEqualTo("2");
        assertThat(header(letter, DeadLetterHeaders.GROUP)).isEqualTo("retry-group");
        assertThat(header(letter, DeadLetterHeaders.ATTEMPTS)).isEqualTo("3");
    }

    @Test
    void aRecordThatIsNoCloudEventIsDeadLetteredAtOnceAndThePartitionGoesOn() throws Exception {
        createTopic("poison", 1);
        var handled = new CopyOnWriteArrayList<UUID>();
        RecordedEvent after = event("order-2", 0, "placed");
        try (var producer = kafka.producer()) {
            producer.send(new ProducerRecord<>("poison", 0, "order-2".getBytes(StandardCharsets.UTF_8),
                    "{not json".getBytes(StandardCharsets.UTF_8))).get();
        }
        send("poison", after);

        try (var consumer = KafkaEventConsumer.start(config("poison-group", "poison",
                Map.of("placed", event -> handled.add(event.eventId()))))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 1 && committedOffset("poison-group", "poison") == 2);
        }
        assertThat(handled).containsExactly(after.eventId());
        ConsumerRecord<byte[], byte[]> letter = kafka.readCommitted("poison-dlt").getFirst();
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(header(letter, DeadLetterHeaders.EXCEPTION)).isEqualTo(UndecodableRecordException.class.getName());
        assertThat(header(letter, DeadLetterHeaders.ATTEMPTS)).isEqualTo("0");
        assertThat(header(letter, DeadLetterHeaders.ORIGINAL_OFFSET)).isEqualTo("0");
    }

    @Test
    void closingFinishesTheRecordInHandCommitsItAndStartsNoOther() throws Exception {
        createTopic("shutdown", 1);
        var entered = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var handled = new CopyOnWriteArrayList<UUID>();
        EventHandler slow = event -> {
            entered.countDown();
            assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
            handled.add(event.eventId());
        };
        RecordedEvent first = event("order-3", 0, "slow");
        send("shutdown", first, event("order-3", 1, "slow"));
        var consumer = KafkaEventConsumer.start(config("shutdown-group", "shutdown", Map.of("slow", slow)));
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        var closing = Thread.ofVirtual().start(consumer::close);
        await().atMost(Duration.ofSeconds(5)).until(() -> closing.getState() == Thread.State.WAITING);
        release.countDown();
        closing.join();

        assertThat(handled).containsExactly(first.eventId());
        assertThat(committedOffset("shutdown-group", "shutdown")).isEqualTo(1);
    }

    @Test
    void anInboxInPostgresqlGivesARedeliveredEventNoSecondEffect() throws Exception {
        var postgres = TestPostgres.get();
        String schema = postgres.freshSchema("inbox");
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        var dataSource = new PGSimpleDataSource();
        dataSource.setUrl(postgres.jdbcUrl());
        dataSource.setCurrentSchema(schema);
        try {
            redeliveredEventsHaveOneEffect(dataSource, "pg");
        } finally {
            postgres.dropSchema(schema);
        }
    }

    @Test
    void anInboxInSqliteGivesARedeliveredEventNoSecondEffect() throws Exception {
        var dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("inbox.db"));
        redeliveredEventsHaveOneEffect(dataSource, "sqlite");
    }

    private void redeliveredEventsHaveOneEffect(DataSource dataSource, String name) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE ledger (event_id TEXT NOT NULL, amount INTEGER NOT NULL)");
        }
        var inbox = JdbcInbox.open(dataSource, name + "-group");
        var failOnce = new AtomicBoolean(true);
        EventHandler credit = inbox.handler((transaction, event) -> {
            try (var insert = transaction.prepareStatement("INSERT INTO ledger (event_id, amount) VALUES (?, 10)")) {
                insert.setString(1, event.eventId().toString());
                insert.executeUpdate();
            }
            if (failOnce.getAndSet(false)) {
                // the effect above is rolled back with the inbox row, and the retry writes it again
                throw new SQLException("fails after writing, once");
            }
        });
        String topic = "inbox-" + name;
        createTopic(topic, 1);
        RecordedEvent first = event("account-1", 0, "credited");
        RecordedEvent second = event("account-1", 1, "credited");
        // the second delivery of each is what a relay may send again after a crash: the same ce_id
        send(topic, first, first, second, first, second);
        try (var consumer = KafkaEventConsumer.start(config(name + "-group", topic, Map.of("credited", credit)))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> committedOffset(name + "-group", topic) == 5);
            assertThat(consumer.handled()).isEqualTo(5);
        }
        assertThat(ledgerRows(dataSource)).containsExactlyInAnyOrder(first.eventId().toString(), second.eventId().toString());
        assertThat(inbox.contains(first.eventId().toString())).isTrue();
        assertThat(inbox.contains(UUID.randomUUID().toString())).isFalse();
        // opening again finds its migration applied
        JdbcInbox.open(dataSource, name + "-group");
    }

    @Test
    void aBatchInboxTakesAPollInOneTransactionAndDeadLettersOnlyTheEventThatFails() throws Exception {
        var dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("batch-inbox.db"));
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE ledger (event_id TEXT NOT NULL, amount INTEGER NOT NULL)");
        }
        var inbox = JdbcInbox.open(dataSource, "batch-group");
        RecordedEvent poison = event("account-2", 2, "credited");
        var calls = new AtomicInteger();
        JdbcEventHandler credit = (transaction, event) -> {
            calls.incrementAndGet();
            try (var insert = transaction.prepareStatement("INSERT INTO ledger (event_id, amount) VALUES (?, 10)")) {
                insert.setString(1, event.eventId().toString());
                insert.executeUpdate();
            }
            if (event.eventId().equals(poison.eventId())) {
                throw new SQLException("cannot credit " + event.eventId());
            }
        };
        createTopic("batch-inbox", 1);
        RecordedEvent first = event("account-2", 0, "credited");
        RecordedEvent second = event("account-2", 1, "credited");
        RecordedEvent fourth = event("account-2", 3, "credited");
        send("batch-inbox", first, second, first, event("account-2", 9, "ignored"), poison, fourth, second);
        var config = KafkaConsumerConfig.of(kafka.bootstrapServers(), "batch-group", List.of("batch-inbox"),
                inbox.handlers(Map.of("credited", credit))).withRetry(FAST_RETRY);
        try (var consumer = KafkaEventConsumer.start(config)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> committedOffset("batch-group", "batch-inbox") == 7);
            assertThat(consumer.deadLettered()).isEqualTo(1);
        }
        assertThat(ledgerRows(dataSource)).containsExactlyInAnyOrder(first.eventId().toString(),
                second.eventId().toString(), fourth.eventId().toString());
        assertThat(inbox.contains(poison.eventId().toString())).isFalse();
        assertThat(CloudEventCodec.decode(kafka.readCommitted("batch-inbox-dlt").getFirst())).isEqualTo(poison);
        // the whole poll once (it fails at the poison), then each event alone: three tries of the poison
        assertThat(calls.get()).isGreaterThanOrEqualTo(3 + 3 + 3);
    }

    private static List<String> ledgerRows(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT event_id FROM ledger")) {
            var ids = new java.util.ArrayList<String>();
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
            return ids;
        }
    }
}
