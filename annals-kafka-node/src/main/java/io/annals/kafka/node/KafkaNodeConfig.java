package io.annals.kafka.node;

import io.annals.kafka.KafkaRelayConfig;
import io.annals.kafka.TopicRouter;
import io.annals.node.Settings;
import java.time.Duration;

/**
 * The {@code kafka} module's settings, read when the module is installed so that a mistake stops
 * the node's start with a message naming the key: {@code bootstrap} (required; {@code --kafka}
 * sets it), {@code relay-id}, {@code offsets-topic}, {@code topic-prefix}, {@code source},
 * {@code partitions}, {@code replication}, {@code batch-events}, {@code batch-delay} and
 * {@code session-timeout}; the defaults are {@link KafkaRelayConfig#of(String)}'s.
 */
public final class KafkaNodeConfig {

    private KafkaNodeConfig() {
    }

    public static KafkaRelayConfig from(Settings settings) {
        String bootstrap = settings.get("bootstrap").orElseThrow(() -> new IllegalArgumentException(
                "setting " + KafkaModule.NAME + ".bootstrap is required: HOST:PORT of a Kafka broker (--kafka)"));
        var defaults = KafkaRelayConfig.of(bootstrap);
        try {
            String relayId = settings.get("relay-id", defaults.relayId());
            int partitions = settings.integer("partitions", defaults.partitions());
            int replication = settings.integer("replication", defaults.replicationFactor());
            if (replication < 1 || replication > Short.MAX_VALUE) {
                throw new IllegalArgumentException("setting " + KafkaModule.NAME + ".replication must be between 1 and "
                        + Short.MAX_VALUE + ", got " + replication);
            }
            Duration delay = settings.duration("batch-delay", defaults.maxBatchDelay());
            return defaults
                    .withRelayId(relayId, settings.get("offsets-topic", defaults.offsetsTopic()))
                    .withRouter(TopicRouter.byCategory(settings.get("topic-prefix", "")))
                    .withSource(settings.get("source", defaults.source()))
                    .withTopics(partitions, (short) replication)
                    .withBatches(settings.integer("batch-events", defaults.maxBatchEvents()), delay)
                    .withSessionTimeout(settings.duration("session-timeout", defaults.sessionTimeout()));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("setting ")) {
                throw e;
            }
            throw new IllegalArgumentException("settings " + KafkaModule.NAME + ".*: " + e.getMessage(), e);
        }
    }
}
