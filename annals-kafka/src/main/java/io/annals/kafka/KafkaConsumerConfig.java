package io.annals.kafka;

import io.annals.store.EventHandler;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link KafkaEventConsumer} reads Annals CloudEvents.
 *
 * @param bootstrapServers  {@code host:port[,host:port...]} of the cluster
 * @param groupId           the consumer group: every instance with this id shares the partitions
 * @param topics            the topics to read
 * @param handler           what is done with the events of a partition (see {@link BatchHandler});
 *                          records it does not accept are skipped (and their offsets committed)
 * @param retry             retries of a failing handler before the record is dead-lettered
 * @param replicationFactor replication of a dead-letter topic the consumer creates
 * @param clientOverrides   extra consumer and producer settings
 */
public record KafkaConsumerConfig(
        String bootstrapServers,
        String groupId,
        List<String> topics,
        BatchHandler handler,
        RetryPolicy retry,
        short replicationFactor,
        Map<String, Object> clientOverrides) {

    public KafkaConsumerConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(handler, "handler");
        topics = List.copyOf(topics);
        clientOverrides = Map.copyOf(clientOverrides);
        if (groupId.isBlank()) {
            throw new IllegalArgumentException("groupId must not be blank");
        }
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("name at least one topic");
        }
        topics.forEach(TopicNames::requireValid);
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be at least 1");
        }
    }

    /**
     * A group reading {@code topics} with one handler per event type, one event at a time, with
     * {@link RetryPolicy#defaults()} and replication 1.
     */
    public static KafkaConsumerConfig of(String bootstrapServers, String groupId, List<String> topics,
                                         Map<String, EventHandler> handlers) {
        return of(bootstrapServers, groupId, topics, BatchHandler.perType(handlers));
    }

    /** A group reading {@code topics} into {@code handler}, with {@link RetryPolicy#defaults()} and replication 1. */
    public static KafkaConsumerConfig of(String bootstrapServers, String groupId, List<String> topics,
                                         BatchHandler handler) {
        return new KafkaConsumerConfig(bootstrapServers, groupId, topics, handler, RetryPolicy.defaults(), (short) 1,
                Map.of());
    }

    public KafkaConsumerConfig withRetry(RetryPolicy policy) {
        return new KafkaConsumerConfig(bootstrapServers, groupId, topics, handler, policy, replicationFactor,
                clientOverrides);
    }

    public KafkaConsumerConfig withClientOverrides(Map<String, Object> overrides) {
        return new KafkaConsumerConfig(bootstrapServers, groupId, topics, handler, retry, replicationFactor, overrides);
    }
}
