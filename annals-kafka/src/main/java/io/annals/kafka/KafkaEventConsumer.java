package io.annals.kafka;

import io.annals.event.RecordedEvent;
import io.annals.store.EventHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Annals CloudEvents in a consumer group and hands each to the handler of its type, one
 * record at a time per partition, in partition order.
 *
 * <p>A failing handler is called again after exponential back-off ({@link RetryPolicy}); after
 * the last attempt the record goes to {@code <topic>-dlt}, same partition, with
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
        settings.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
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
            kafka.subscribe(config.topics());
            while (running) {
                ConsumerRecords<byte[], byte[]> records = kafka.poll(POLL);
                for (TopicPartition partition : records.partitions()) {
                    if (!running || !handlePartition(kafka, deadLetters, topics, partition, records.records(partition))) {
                        break;
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.error("consumer group {} stopped", config.groupId(), e);
        }
    }

    /** Handles one partition's records in order, then commits the offset after the last one handled. */
    private boolean handlePartition(KafkaConsumer<byte[], byte[]> kafka, KafkaProducer<byte[], byte[]> deadLetters,
                                    Topics topics, TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> records) {
        long next = -1;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (!running) {
                break;
            }
            Outcome outcome;
            try {
                outcome = handle(record, deadLetters, topics);
            } catch (RuntimeException e) {
                // the dead-letter topic could not be written: leave the record uncommitted and read it again
                LOG.warn("group {}: could not dead-letter {}-{}@{}: {}", config.groupId(), record.topic(),
                        record.partition(), record.offset(), e.toString());
                kafka.seek(partition, record.offset());
                sleep(PAUSE_AFTER_FAILURE);
                break;
            }
            if (outcome == Outcome.STOPPED) {
                break;
            }
            next = record.offset() + 1;
        }
        if (next >= 0) {
            kafka.commitSync(Map.of(partition, new OffsetAndMetadata(next)));
        }
        return running;
    }

    private enum Outcome { HANDLED, SKIPPED, DEAD_LETTERED, STOPPED }

    private Outcome handle(ConsumerRecord<byte[], byte[]> record, KafkaProducer<byte[], byte[]> deadLetters, Topics topics) {
        RecordedEvent event;
        try {
            event = CloudEventCodec.decode(record);
        } catch (UndecodableRecordException e) {
            deadLetter(record, e, 0, deadLetters, topics);
            return Outcome.DEAD_LETTERED;
        }
        EventHandler handler = config.handlers().get(event.type());
        if (handler == null) {
            return Outcome.SKIPPED;
        }
        RetryPolicy retry = config.retry();
        for (int attempt = 1; ; attempt++) {
            try {
                handler.handle(event);
                handled.incrementAndGet();
                return Outcome.HANDLED;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.STOPPED;
            } catch (Exception e) {
                if (attempt >= retry.maxAttempts()) {
                    deadLetter(record, e, attempt, deadLetters, topics);
                    return Outcome.DEAD_LETTERED;
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
