package io.annals.kafka;

import io.annals.event.RecordedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Annals CloudEvents in a consumer group and hands them to its {@link BatchHandler}, per
 * partition in partition order: a poll's worth of a partition in one call when the handler is all
 * or nothing (one database transaction), else one record at a time.
 *
 * <p>A failing call of several events is followed by one call per event, so that only the
 * failing one is retried: it is called again after exponential back-off ({@link RetryPolicy});
 * after the last attempt the record goes to {@code <topic>-dlt}, same partition, with
 * {@link DeadLetterHeaders}. A record that is not an Annals CloudEvent goes there at once. A
 * record's offset is committed only after its handler succeeded or it was dead-lettered, so a
 * crash redelivers it: make handlers idempotent, for example with a {@link JdbcInbox}.
 *
 * <p>{@link #close()} lets the handler call in hand finish, commits what was done and leaves the
 * group; a record waiting for its next retry is left uncommitted and redelivered later.
 */
public final class KafkaEventConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(1);

    private final KafkaConsumerConfig config;
    private final Map<String, Object> clientConfig;
    private final Thread thread;
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final Map<TopicPartition, Long> lag = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    private KafkaEventConsumer(KafkaConsumerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        var client = new HashMap<String, Object>(config.clientOverrides());
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        this.clientConfig = Map.copyOf(client);
        this.thread = Thread.ofPlatform().name("annals-kafka-consumer-" + config.groupId()).unstarted(this::run);
    }

    public static KafkaEventConsumer start(KafkaConsumerConfig config) {
        var started = new KafkaEventConsumer(config);
        started.thread.start();
        return started;
    }

    /** Records whose handler succeeded. */
    public long handled() {
        return handled.get();
    }

    public String groupId() {
        return config.groupId();
    }

    /**
     * How many records each partition this consumer holds has after its position (committed
     * records only, when reading committed), as of its last poll; empty when it holds none.
     */
    public Map<TopicPartition, Long> lag() {
        return Map.copyOf(lag);
    }

    /** Records sent to a dead-letter topic. */
    public long deadLettered() {
        return deadLettered.get();
    }

    private Map<String, Object> consumerConfig() {
        var settings = new HashMap<>(clientConfig);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // the relay writes in transactions: never hand an aborted or open one to a handler
        settings.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return settings;
    }

    private Map<String, Object> producerConfig() {
        var settings = new HashMap<>(clientConfig);
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        return settings;
    }

    private void run() {
        try (var kafka = new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
             var deadLetters = new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
             var admin = Admin.create(clientConfig)) {
            var topics = new Topics(admin);
            kafka.subscribe(config.topics(), new Rebalance(kafka));
            while (running) {
                ConsumerRecords<byte[], byte[]> records = kafka.poll(POLL);
                for (TopicPartition partition : records.partitions()) {
                    if (!running || !handlePartition(kafka, deadLetters, topics, partition, records.records(partition))) {
                        break;
                    }
                }
                measureLag(kafka);
            }
        } catch (RuntimeException e) {
            LOG.error("consumer group {} stopped", config.groupId(), e);
        } finally {
            lag.clear();
        }
    }

    /** Seeks to the offsets the handler keeps, where it keeps them; forgets the lag of partitions gone. */
    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> kafka;

        Rebalance(KafkaConsumer<byte[], byte[]> kafka) {
            this.kafka = kafka;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            seekToStored(kafka, partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(lag::remove);
        }
    }

    private void measureLag(KafkaConsumer<byte[], byte[]> kafka) {
        for (TopicPartition partition : kafka.assignment()) {
            OptionalLong behind = kafka.currentLag(partition);
            if (behind.isPresent()) {
                lag.put(partition, behind.getAsLong());
            }
        }
        lag.keySet().retainAll(kafka.assignment());
    }

    /** A record of the poll, with its event when the handler accepts it. */
    private record Item(ConsumerRecord<byte[], byte[]> record, RecordedEvent event) {
        List<RecordedEvent> events() {
            return event == null ? List.of() : List.of(event);
        }
    }

    /**
     * Handles one partition's records in order: all in one call of an all-or-nothing handler,
     * else (or when that call fails) one at a time with retries; then commits the offset after the
     * last one handled. Records that are not Annals CloudEvents are dead-lettered first.
     */
    private boolean handlePartition(KafkaConsumer<byte[], byte[]> kafka, KafkaProducer<byte[], byte[]> deadLetters,
                                    Topics topics, TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> records) {
        BatchHandler handler = config.handler();
        var items = new ArrayList<Item>(records.size());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            RecordedEvent event;
            try {
                event = CloudEventCodec.decode(record);
            } catch (UndecodableRecordException e) {
                try {
                    deadLetter(record, e, 0, deadLetters, topics);
                } catch (RuntimeException failure) {
                    rewind(kafka, partition, records.getFirst(), failure);
                    return running;
                }
                event = null;
            }
            items.add(new Item(record, event != null && handler.accepts(event) ? event : null));
        }
        long next = records.getLast().offset() + 1;
        if (handler.allOrNothing() && items.size() > 1) {
            var events = items.stream().map(Item::event).filter(Objects::nonNull).toList();
            try {
                handler.handle(partition, events, next);
                handled.addAndGet(events.size());
                commit(kafka, partition, next);
                return running;
            } catch (OffsetConflictException e) {
                reposition(kafka, partition, e);
                return running;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                LOG.debug("group {}: a batch of {}-{} failed; its records one by one", config.groupId(), partition.topic(),
                        partition.partition(), e);
            }
        }
        long done = -1;
        for (Item item : items) {
            if (!running) {
                break;
            }
            Outcome outcome;
            try {
                outcome = handle(partition, item, deadLetters, topics);
            } catch (OffsetConflictException e) {
                reposition(kafka, partition, e);
                return running;
            } catch (RuntimeException e) {
                // the dead-letter topic could not be written: leave the record uncommitted and read it again
                rewind(kafka, partition, item.record(), e);
                break;
            }
            if (outcome == Outcome.STOPPED) {
                break;
            }
            done = item.record().offset() + 1;
        }
        if (done >= 0) {
            commit(kafka, partition, done);
        }
        return running;
    }

    private void rewind(KafkaConsumer<byte[], byte[]> kafka, TopicPartition partition,
                        ConsumerRecord<byte[], byte[]> record, RuntimeException failure) {
        LOG.warn("group {}: could not dead-letter {}-{}@{}: {}", config.groupId(), record.topic(), record.partition(),
                record.offset(), failure.toString());
        kafka.seek(partition, record.offset());
        sleep(PAUSE_AFTER_FAILURE);
    }

    /** Another consumer handled the partition meanwhile: go on from the offset the handler keeps. */
    private void reposition(KafkaConsumer<byte[], byte[]> kafka, TopicPartition partition, OffsetConflictException e) {
        LOG.info("group {}: {}", config.groupId(), e.getMessage());
        seekToStored(kafka, List.of(partition));
    }

    /**
     * Seeks to the offsets the handler keeps. When they cannot be read, the consumer stays where
     * Kafka's committed offsets put it: the handler refuses to write over an offset it has not
     * seen ({@link OffsetConflictException}), and the next conflict reads them again.
     */
    private void seekToStored(KafkaConsumer<byte[], byte[]> kafka, Collection<TopicPartition> partitions) {
        try {
            config.handler().assigned(partitions).forEach(kafka::seek);
        } catch (RuntimeException e) {
            LOG.warn("group {}: could not read the stored offsets of {}: {}", config.groupId(), partitions, e.toString());
        }
    }

    private void commit(KafkaConsumer<byte[], byte[]> kafka, TopicPartition partition, long next) {
        try {
            kafka.commitSync(Map.of(partition, new OffsetAndMetadata(next)));
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // the partition went to another member meanwhile, which reads it again from the last commit
            LOG.info("group {}: offset {} of {} not committed: {}", config.groupId(), next, partition, e.toString());
        }
    }

    private enum Outcome { HANDLED, STOPPED }

    /** One record's events (one, or none: then only its offset moves), with retries, then the dead-letter topic. */
    private Outcome handle(TopicPartition partition, Item item, KafkaProducer<byte[], byte[]> deadLetters, Topics topics) {
        List<RecordedEvent> events = item.events();
        ConsumerRecord<byte[], byte[]> record = item.record();
        RetryPolicy retry = config.retry();
        for (int attempt = 1; ; attempt++) {
            try {
                config.handler().handle(partition, events, record.offset() + 1);
                handled.addAndGet(events.size());
                return Outcome.HANDLED;
            } catch (OffsetConflictException e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.STOPPED;
            } catch (Exception e) {
                if (attempt >= retry.maxAttempts()) {
                    deadLetter(record, e, attempt, deadLetters, topics);
                    return Outcome.HANDLED;
                }
                LOG.debug("group {}: attempt {} at {}-{}@{} failed", config.groupId(), attempt, record.topic(),
                        record.partition(), record.offset(), e);
                if (!sleep(retry.delayAfter(attempt))) {
                    return Outcome.STOPPED;
                }
            }
        }
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, Exception cause, int attempts,
                            KafkaProducer<byte[], byte[]> deadLetters, Topics topics) {
        String topic = DeadLetterHeaders.topicFor(record.topic());
        topics.ensure(topic, topics.partitionsOf(record.topic()), config.replicationFactor(), Map.of());
        var headers = new RecordHeaders(record.headers().toArray());
        put(headers, DeadLetterHeaders.EXCEPTION, cause.getClass().getName());
        put(headers, DeadLetterHeaders.EXCEPTION_MESSAGE, String.valueOf(cause.getMessage()));
        put(headers, DeadLetterHeaders.ORIGINAL_TOPIC, record.topic());
        put(headers, DeadLetterHeaders.ORIGINAL_PARTITION, Integer.toString(record.partition()));
        put(headers, DeadLetterHeaders.ORIGINAL_OFFSET, Long.toString(record.offset()));
        put(headers, DeadLetterHeaders.GROUP, config.groupId());
        put(headers, DeadLetterHeaders.ATTEMPTS, Integer.toString(attempts));
        try {
            deadLetters.send(new ProducerRecord<>(topic, record.partition(), record.key(), record.value(), headers)).get();
        } catch (ExecutionException e) {
            throw new KafkaException("could not write to " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while writing to " + topic, e);
        }
        deadLettered.incrementAndGet();
        LOG.warn("group {}: {}-{}@{} dead-lettered to {} after {} attempts: {}", config.groupId(), record.topic(),
                record.partition(), record.offset(), topic, attempts, cause.toString());
    }

    private static void put(RecordHeaders headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Waits, and returns false when the consumer was closed meanwhile. */
    private boolean sleep(Duration delay) {
        long until = System.nanoTime() + delay.toNanos();
        while (running) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            try {
                Thread.sleep(Math.min(Duration.ofNanos(left).toMillis() + 1, 50));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    @Override
    public void close() {
        // no wakeup(): it could break the commit of the record in hand; the loop polls briefly
        running = false;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
