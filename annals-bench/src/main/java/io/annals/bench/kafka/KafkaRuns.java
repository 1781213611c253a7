package io.annals.bench.kafka;

import io.annals.bench.db.PostgresBenchDatabase;
import io.annals.bench.measure.LatencySamples;
import io.annals.event.EventData;
import io.annals.event.Metadata;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.kafka.CloudEventCodec;
import io.annals.kafka.CloudEventHeaders;
import io.annals.kafka.JdbcInbox;
import io.annals.kafka.KafkaConsumerConfig;
import io.annals.kafka.KafkaEventConsumer;
import io.annals.kafka.KafkaRelay;
import io.annals.kafka.KafkaRelayConfig;
import io.annals.kafka.TopicRouter;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import io.annals.store.jsonlines.IsoInstants;
import io.annals.store.sqlite.SqliteEventStore;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The three cases of {@code annals bench kafka}, each beside its baseline from the same run. */
final class KafkaRuns {

    static final String RAW_PRODUCER = "raw-producer";
    static final String RAW_CONSUMER = "raw-consumer";
    static final String RAW_TRANSACTIONS = "raw-transactions";
    private static final int PARTITIONS = 6;
    private static final int STREAMS = 1_000;
    private static final CloudEventCodec CODEC = new CloudEventCodec("/annals/bench");

    private final String servers;
    private final PrintWriter progress;

    KafkaRuns(String servers, PrintWriter progress) {
        this.servers = servers;
        this.progress = progress;
    }

    /**
     * The relay publishing {@code count} stored events from the start, against a plain idempotent
     * producer ({@code acks=all}) that reads the same events from the store page by page and
     * sends the same records, without transactions or checkpoint.
     */
    KafkaBenchCommand.Figures relayThroughput(int count) throws Exception {
        Path directory = Files.createTempDirectory("annals-bench-kafka");
        try (EventStore store = SqliteEventStore.open(directory.resolve("store.db"))) {
            long fillStart = System.nanoTime();
            fill(store, count);
            progress.printf("relay-throughput: %,d events stored in %.1f s%n", count, seconds(fillStart));
            createTopics("raw.order");
            double raw = rawProducer(store, count, "raw.");
            progress.printf("relay-throughput: raw-producer %,.0f events/s%n", raw);
            createTopics("relay.order", "relay.offsets");
            double relay = relay(store, count, "relay");
            progress.printf("relay-throughput: annals %,.0f events/s%n", relay);
            return new KafkaBenchCommand.Figures(relay, Map.of(RAW_PRODUCER, raw));
        }
    }

    /**
     * Commit in the store to readable by a {@code read_committed} consumer, at 1,000 appends a
     * second; beside its ceiling {@value #RAW_TRANSACTIONS}: the same records, timed from their
     * creation, sent by a plain transactional producer that commits whatever arrived while its
     * previous transaction committed, as the relay does, without a store.
     */
    KafkaBenchCommand.Figures relayLatency(int seconds) throws Exception {
        Path directory = Files.createTempDirectory("annals-bench-kafka");
        createTopics("latency.order", "latency.offsets", "rawlatency.order");
        double raw = rawTransactionsLatency(seconds, "rawlatency.order");
        progress.printf("relay-latency-p99: %s p99 %.1f ms%n", RAW_TRANSACTIONS, raw);
        try (EventStore store = SqliteEventStore.open(directory.resolve("store.db"));
             var relay = KafkaRelay.start(store, relayConfig("latency"));
             var reader = new LatencyReader("latency.order", seconds)) {
            while (!relay.status().leader()) {
                LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            }
            int total = (seconds + 2) * 1_000;
            paced(total, i -> store.append(StreamId.of("order", i % STREAMS), ExpectedVersion.any(), List.of(event(i))));
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (relay.status().publishedEvents() < total && System.nanoTime() < until) {
                LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            }
            double p99 = reader.finish("the relay published " + relay.status().publishedEvents() + " of " + total);
            return new KafkaBenchCommand.Figures(p99, Map.of(RAW_TRANSACTIONS, raw));
        }
    }

    /** The ceiling of the latency case: records made at 1,000 a second, sent in back-to-back transactions. */
    private double rawTransactionsLatency(int seconds, String topic) throws Exception {
        var config = new HashMap<String, Object>(producerConfig());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "raw-latency");
        config.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 5);
        var queue = new java.util.concurrent.LinkedBlockingQueue<ProducerRecord<String, byte[]>>();
        var done = new AtomicBoolean();
        var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        int total = (seconds + 2) * 1_000;
        try (var reader = new LatencyReader(topic, seconds);
             var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            var sender = Thread.ofPlatform().start(() -> {
                try {
                    var batch = new ArrayList<ProducerRecord<String, byte[]>>();
                    while (!done.get() || !queue.isEmpty()) {
                        var first = queue.poll(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                        if (first == null) {
                            continue;
                        }
                        batch.add(first);
                        queue.drainTo(batch);
                        producer.beginTransaction();
                        batch.forEach(producer::send);
                        producer.commitTransaction();
                        batch.clear();
                    }
                } catch (InterruptedException | RuntimeException e) {
                    failure.set(e);
                }
            });
            paced(total, i -> {
                var record = new ProducerRecord<String, byte[]>(topic, "order-" + (i % STREAMS),
                        data(i).getBytes(StandardCharsets.UTF_8));
                record.headers().add(CloudEventHeaders.POSITION, Position.of(i + 1L).toString().getBytes(StandardCharsets.US_ASCII));
                record.headers().add(CloudEventHeaders.RECORDED_TIME,
                        IsoInstants.format(Instant.now()).getBytes(StandardCharsets.US_ASCII));
                queue.add(record);
            });
            done.set(true);
            sender.join();
            if (failure.get() != null) {
                throw new IllegalStateException("the raw transactional producer failed", failure.get());
            }
            return reader.finish("the raw producer sent " + total);
        }
    }

    /** Runs {@code step} for 0 to {@code total - 1}, one every millisecond. */
    private static void paced(int total, java.util.function.IntConsumer step) {
        long interval = Duration.ofMillis(1).toNanos();
        long next = System.nanoTime();
        for (int i = 0; i < total; i++) {
            step.accept(i);
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    /**
     * A {@code read_committed} consumer at the end of a topic that times each record from its
     * recorded-time header to when it reads it; the first two seconds' records (by position) warm up.
     */
    private final class LatencyReader implements AutoCloseable {
        private static final long WARM_UP_EVENTS = 2_000;
        private final LatencySamples samples;
        private final AtomicBoolean done = new AtomicBoolean();
        private final java.util.concurrent.atomic.AtomicLong seen = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        private final Thread thread;

        LatencyReader(String topic, int seconds) throws InterruptedException {
            samples = new LatencySamples(seconds * 1_000);
            var positioned = new java.util.concurrent.CountDownLatch(1);
            thread = Thread.ofPlatform().start(() -> {
                // tuned for latency: with read_committed, a fetch otherwise may wait its whole
                // fetch.max.wait.ms (500 ms) for a transaction's end
                try (var consumer = consumer(Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5))) {
                    var partitions = partitions(consumer, topic);
                    consumer.assign(partitions);
                    consumer.seekToEnd(partitions);
                    partitions.forEach(consumer::position);
                    positioned.countDown();
                    while (!done.get()) {
                        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                            Instant now = Instant.now();
                            seen.incrementAndGet();
                            long sequence = Position.parse(new String(
                                    record.headers().lastHeader(CloudEventHeaders.POSITION).value(), StandardCharsets.US_ASCII)).sequence();
                            if (sequence > WARM_UP_EVENTS) {
                                Instant recorded = IsoInstants.parse(new String(
                                        record.headers().lastHeader(CloudEventHeaders.RECORDED_TIME).value(), StandardCharsets.US_ASCII));
                                synchronized (samples) {
                                    samples.add(Duration.between(recorded, now).toNanos());
                                }
                            }
                        }
                    }
                } catch (RuntimeException e) {
                    failure.set(e);
                    positioned.countDown();
                }
            });
            positioned.await();
        }

        /** Stops reading shortly after the last record was sent; the p99 in milliseconds. */
        double finish(String sent) throws InterruptedException {
            Thread.sleep(200);
            close();
            if (failure.get() != null) {
                throw new IllegalStateException("the consumer failed", failure.get());
            }
            synchronized (samples) {
                if (samples.size() == 0) {
                    throw new IllegalStateException("no record reached the consumer (" + seen + " seen); " + sent);
                }
                progress.printf("latency: %d samples, p50 %.1f ms, p99 %.1f ms%n", samples.size(),
                        samples.percentileMillis(50), samples.percentileMillis(99));
                return samples.percentileMillis(99);
            }
        }

        @Override
        public void close() throws InterruptedException {
            done.set(true);
            thread.join();
        }
    }

    /**
     * A consumer whose handler writes one row per event through a {@link JdbcInbox} in PostgreSQL
     * (a partition's poll in one transaction), against a plain consumer writing the same rows
     * (effect and inbox) per poll in one batched transaction.
     */
    KafkaBenchCommand.Figures consumerThroughput(PostgresBenchDatabase database, int count) throws Exception {
        createTopics("consumed.order");
        try (var producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                var stored = new RecordedEvent(StreamId.of("order", i % STREAMS), i / STREAMS, Position.of(i + 1L),
                        java.util.UUID.randomUUID(), "OrderPlaced", data(i), Metadata.EMPTY, Instant.now(), Instant.now(), Set.of());
                producer.send(CODEC.encode("consumed.order", stored));
                if (i % 1_000 == 999) {
                    // in steps: sending all at once on a loaded machine once left the producer retrying
                    // OutOfOrderSequenceException for good
                    producer.flush();
                }
            }
            producer.flush();
        }
        String rawSchema = database.createSchema("kafka", "raw");
        String annalsSchema = database.createSchema("kafka", "annals");
        try (var rawPool = database.pool(rawSchema, 2, true, Map.of("reWriteBatchedInserts", "true"));
             var annalsPool = database.pool(annalsSchema, 2, true, Map.of())) {
            for (var pool : List.of(rawPool, annalsPool)) {
                try (Connection connection = pool.getConnection(); var statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE ledger (event_id TEXT NOT NULL, amount INTEGER NOT NULL)");
                }
            }
            // the raw consumer writes the same inbox table, created the same way
            JdbcInbox.open(rawPool, "raw");
            JdbcInbox annalsInbox = JdbcInbox.open(annalsPool, "annals");
            double raw = rawConsumer(rawPool, count);
            progress.printf("consumer-throughput: raw-consumer %,.0f events/s%n", raw);
            double annals = annalsConsumer(annalsInbox, count);
            progress.printf("consumer-throughput: annals %,.0f events/s%n", annals);
            return new KafkaBenchCommand.Figures(annals, Map.of(RAW_CONSUMER, raw));
        } finally {
            database.dropSchema(rawSchema);
            database.dropSchema(annalsSchema);
        }
    }

    private double annalsConsumer(JdbcInbox inbox, int count) {
        var config = KafkaConsumerConfig.of(servers, "annals-consumer", List.of("consumed.order"), inbox.handlers(Map.of(
                "OrderPlaced", (transaction, event) -> {
                    try (var insert = transaction.prepareStatement("INSERT INTO ledger (event_id, amount) VALUES (?, 1)")) {
                        insert.setString(1, event.eventId().toString());
                        insert.executeUpdate();
                    }
                })));
        long start = System.nanoTime();
        try (var consumer = KafkaEventConsumer.start(config)) {
            while (consumer.handled() < count) {
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
            return count / seconds(start);
        }
    }

    private double rawConsumer(javax.sql.DataSource pool, int count) throws Exception {
        long start = System.nanoTime();
        int consumed = 0;
        try (var consumer = consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "raw-consumer",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500))) {
            consumer.subscribe(List.of("consumed.order"));
            while (consumed < count) {
                var records = consumer.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                try (Connection connection = pool.getConnection()) {
                    connection.setAutoCommit(false);
                    try (PreparedStatement inbox = connection.prepareStatement(
                            "INSERT INTO annals_kafka_inbox (consumer_group, event_id) VALUES ('raw', ?) ON CONFLICT DO NOTHING");
                         PreparedStatement ledger = connection.prepareStatement("INSERT INTO ledger (event_id, amount) VALUES (?, 1)")) {
                        for (ConsumerRecord<byte[], byte[]> record : records) {
                            String id = new String(record.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8);
                            inbox.setString(1, id);
                            inbox.addBatch();
                            ledger.setString(1, id);
                            ledger.addBatch();
                        }
                        inbox.executeBatch();
                        ledger.executeBatch();
                    }
                    connection.commit();
                    connection.setAutoCommit(true);
                }
                var offsets = new HashMap<TopicPartition, OffsetAndMetadata>();
                for (TopicPartition partition : records.partitions()) {
                    offsets.put(partition, new OffsetAndMetadata(records.records(partition).getLast().offset() + 1));
                }
                consumer.commitSync(offsets);
                consumed += records.count();
            }
        }
        return count / seconds(start);
    }

    private double rawProducer(EventStore store, int count, String prefix) {
        long start = System.nanoTime();
        int sent = 0;
        try (var producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new ByteArraySerializer())) {
            Position after = Position.START;
            while (sent < count) {
                List<RecordedEvent> page = store.readAll(after, 1_000);
                if (page.isEmpty()) {
                    break;
                }
                for (RecordedEvent event : page) {
                    producer.send(CODEC.encode(prefix + event.streamId().category(), event));
                }
                sent += page.size();
                after = page.getLast().position();
            }
            producer.flush();
        }
        return sent / seconds(start);
    }

    private double relay(EventStore store, int count, String name) {
        long start = System.nanoTime();
        try (var relay = KafkaRelay.start(store, relayConfig(name))) {
            while (relay.status().publishedEvents() < count) {
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
            return count / seconds(start);
        }
    }

    private KafkaRelayConfig relayConfig(String name) {
        return KafkaRelayConfig.of(servers)
                .withRelayId("bench-" + name, name + ".offsets")
                .withRouter(TopicRouter.byCategory(name + "."))
                .withSource("/annals/bench")
                .withTopics(PARTITIONS, (short) 1);
    }

    private static void fill(EventStore store, int count) {
        int perAppend = 100;
        for (int i = 0; i < count; i += perAppend) {
            var batch = new ArrayList<EventData>(perAppend);
            for (int j = i; j < Math.min(count, i + perAppend); j++) {
                batch.add(event(j));
            }
            store.append(StreamId.of("order", (i / perAppend) % STREAMS), ExpectedVersion.any(), batch);
        }
    }

    private static EventData event(int i) {
        return new EventData(java.util.UUID.randomUUID(), "OrderPlaced", data(i),
                Metadata.of(Metadata.CORRELATION_ID, "c-" + i), null);
    }

    private static String data(int i) {
        return "{\"order\":" + i + ",\"customer\":\"customer-" + (i % 977) + "\",\"total\":" + (i % 1000) + ".50}";
    }

    private void createTopics(String... topics) throws Exception {
        try (var admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            var wanted = new ArrayList<NewTopic>();
            for (String topic : topics) {
                boolean offsets = topic.endsWith(".offsets");
                var created = new NewTopic(topic, offsets ? 1 : PARTITIONS, (short) 1);
                wanted.add(offsets ? created.configs(Map.of("cleanup.policy", "compact")) : created);
            }
            admin.createTopics(wanted).all().get();
            // a first idempotent batch to a partition without a leader yet can retry for ever
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!haveLeaders(admin, topics)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics without leaders after 30 s: " + List.of(topics));
                }
                Thread.sleep(20);
            }
        }
    }

    private static boolean haveLeaders(Admin admin, String... topics) throws InterruptedException {
        try {
            return admin.describeTopics(List.of(topics)).allTopicNames().get().values().stream()
                    .flatMap(description -> description.partitions().stream())
                    .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
        } catch (java.util.concurrent.ExecutionException e) {
            return false;
        }
    }

    private Map<String, Object> producerConfig() {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5);
    }

    private KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> extra) {
        var config = new HashMap<String, Object>(extra);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        return consumer.partitionsFor(topic).stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
