package io.annals.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link KafkaRelay} publishes one store.
 *
 * @param bootstrapServers  {@code host:port[,host:port...]} of the cluster
 * @param relayId           names the relay of one store: its transactional id, its consumer group
 *                          and its key in the offsets topic. Every node relaying the same store
 *                          uses the same id; two stores need two ids.
 * @param offsetsTopic      the compacted single-partition topic holding the relay's checkpoint
 * @param router            the topic of each stream's events
 * @param source            {@code ce_source} of every event
 * @param partitions        partitions of a topic the relay creates
 * @param replicationFactor replication of a topic the relay creates
 * @param maxBatchEvents    events per Kafka transaction at most
 * @param maxBatchDelay     how long a transaction waits for more events before it commits; zero: a
 *                          transaction takes what arrived while the previous one committed
 * @param sessionTimeout    how long a silent relay keeps leadership before another node takes over
 * @param clientOverrides   extra producer and consumer settings (timeouts, security)
 */
public record KafkaRelayConfig(
        String bootstrapServers,
        String relayId,
        String offsetsTopic,
        TopicRouter router,
        String source,
        int partitions,
        short replicationFactor,
        int maxBatchEvents,
        Duration maxBatchDelay,
        Duration sessionTimeout,
        Map<String, Object> clientOverrides) {

    public KafkaRelayConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(relayId, "relayId");
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(maxBatchDelay, "maxBatchDelay");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        TopicNames.requireValid(offsetsTopic);
        clientOverrides = Map.copyOf(clientOverrides);
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must name at least one host:port");
        }
        if (relayId.isBlank() || relayId.length() > 200) {
            throw new IllegalArgumentException("relayId must be 1 to 200 characters");
        }
        if (partitions < 1 || replicationFactor < 1) {
            throw new IllegalArgumentException("partitions and replicationFactor must be at least 1");
        }
        if (maxBatchEvents < 1 || maxBatchEvents > 10_000) {
            throw new IllegalArgumentException("maxBatchEvents must be between 1 and 10000");
        }
        if (maxBatchDelay.isNegative() || sessionTimeout.isNegative() || sessionTimeout.isZero()) {
            throw new IllegalArgumentException("maxBatchDelay must not be negative and sessionTimeout must be positive");
        }
    }

    /**
     * Defaults for one store: relay id {@code annals}, offsets topic {@code annals-relay-offsets},
     * a topic per category, source {@code /annals}, 6 partitions, replication 1, at most 1,000
     * events per transaction and no wait for more (a transaction takes what arrived while the
     * previous one committed), 10 s session.
     */
    public static KafkaRelayConfig of(String bootstrapServers) {
        return new KafkaRelayConfig(bootstrapServers, "annals", "annals-relay-offsets", TopicRouter.byCategory(""),
                "/annals", 6, (short) 1, 1_000, Duration.ZERO, Duration.ofSeconds(10), Map.of());
    }

    public KafkaRelayConfig withRelayId(String id, String offsets) {
        return new KafkaRelayConfig(bootstrapServers, id, offsets, router, source, partitions, replicationFactor,
                maxBatchEvents, maxBatchDelay, sessionTimeout, clientOverrides);
    }

    public KafkaRelayConfig withRouter(TopicRouter newRouter) {
        return new KafkaRelayConfig(bootstrapServers, relayId, offsetsTopic, newRouter, source, partitions,
                replicationFactor, maxBatchEvents, maxBatchDelay, sessionTimeout, clientOverrides);
    }

    public KafkaRelayConfig withSource(String newSource) {
        return new KafkaRelayConfig(bootstrapServers, relayId, offsetsTopic, router, newSource, partitions,
                replicationFactor, maxBatchEvents, maxBatchDelay, sessionTimeout, clientOverrides);
    }

    public KafkaRelayConfig withTopics(int newPartitions, short newReplicationFactor) {
        return new KafkaRelayConfig(bootstrapServers, relayId, offsetsTopic, router, source, newPartitions,
                newReplicationFactor, maxBatchEvents, maxBatchDelay, sessionTimeout, clientOverrides);
    }

    public KafkaRelayConfig withBatches(int events, Duration delay) {
        return new KafkaRelayConfig(bootstrapServers, relayId, offsetsTopic, router, source, partitions,
                replicationFactor, events, delay, sessionTimeout, clientOverrides);
    }

    public KafkaRelayConfig withSessionTimeout(Duration timeout) {
        return new KafkaRelayConfig(bootstrapServers, relayId, offsetsTopic, router, source, partitions,
                replicationFactor, maxBatchEvents, maxBatchDelay, timeout, clientOverrides);
    }

    public KafkaRelayConfig withClientOverrides(Map<String, Object> overrides) {
        return new KafkaRelayConfig(bootstrapServers, relayId, offsetsTopic, router, source, partitions,
                replicationFactor, maxBatchEvents, maxBatchDelay, sessionTimeout, overrides);
    }
}
