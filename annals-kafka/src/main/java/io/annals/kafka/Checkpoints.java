package io.annals.kafka;

import io.annals.event.Position;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The relay's checkpoint: a record in the compacted offsets topic, key = relay id, value = the
 * position token of the last event published, written in the same transaction as the events.
 */
final class Checkpoints {

    /** A compacted topic keeps the last checkpoint of each relay however long it runs. */
    static final Map<String, String> TOPIC_CONFIG = Map.of("cleanup.policy", "compact");

    private Checkpoints() {
    }

    static ProducerRecord<String, byte[]> record(String topic, String relayId, Position position) {
        return new ProducerRecord<>(topic, 0, relayId, position.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The last committed checkpoint of {@code relayId}: reads the whole partition up to its last
     * stable offset with {@code read_committed}, so an aborted or open transaction is never seen.
     */
    static Optional<Position> read(Map<String, Object> clientConfig, String topic, String relayId, Duration timeout) {
        var config = new java.util.HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        var partition = new TopicPartition(topic, 0);
        try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            byte[] key = relayId.getBytes(StandardCharsets.UTF_8);
            Position last = null;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (consumer.position(partition, timeout) < end) {
                if (System.nanoTime() > deadline) {
                    throw new org.apache.kafka.common.errors.TimeoutException(
                            "could not read the relay checkpoint of " + topic + " within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && java.util.Arrays.equals(record.key(), key) && record.value() != null) {
                        last = Position.parse(new String(record.value(), StandardCharsets.US_ASCII));
                    }
                }
            }
            return Optional.ofNullable(last);
        }
    }
}
