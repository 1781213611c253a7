package io.annals.kafka.node;

import io.annals.kafka.KafkaConsumerConfig;
import io.annals.kafka.KafkaEventConsumer;
import io.annals.kafka.KafkaRelay;
import io.annals.kafka.KafkaRelayConfig;
import io.annals.kafka.RelayStatus;
import io.annals.node.HealthCheck.Health;
import io.annals.node.NodeContext;
import io.annals.node.NodeModule;
import io.annals.node.Role;
import io.annals.store.EventStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka relay in the node ({@code ./annals serve --kafka HOST:PORT}): publishes the node's
 * store to Kafka (see {@code docs/kafka.md}), and runs the consumers an embedding application
 * gives it ({@link #KafkaModule(Function)}). Health part {@code kafka}: down when the relay
 * stopped; its details say whether this node leads, the checkpoint and the lag, and each
 * consumer group's lag. Meters {@code annals.kafka.relay.*}: lag in seconds and in events read but
 * not yet committed, events published, leadership; {@code annals.kafka.consumer.lag} per group,
 * topic and partition this node holds, and {@code annals.kafka.consumer.group.lag} per group,
 * summed. Route {@code GET /api/kafka} (admin): the same as JSON.
 */
public final class KafkaModule implements NodeModule {

    public static final String NAME = "kafka";
    public static final String PATH = "/api/kafka";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaModule.class);
    /** How often the per-partition lag meters follow the partitions this node holds. */
    private static final Duration LAG_METERS_REFRESH = Duration.ofSeconds(1);

    /** What an application's consumers are made from: the cluster the node was given and its store. */
    public record Setup(String bootstrapServers, EventStore store) {
    }

    private final Function<Setup, List<KafkaConsumerConfig>> consumers;
    private final List<KafkaEventConsumer> running = new CopyOnWriteArrayList<>();

    /** The module as {@code --kafka} loads it: the relay, no consumers. */
    public KafkaModule() {
        this(setup -> List.of());
    }

    /**
     * The relay and the consumers {@code consumers} makes when the node starts (a
     * {@code KafkaProjection}'s group, say), closed when it stops.
     */
    public KafkaModule(Function<Setup, List<KafkaConsumerConfig>> consumers) {
        this.consumers = Objects.requireNonNull(consumers, "consumers");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void install(NodeContext node) {
        KafkaRelayConfig config = KafkaNodeConfig.from(node.settings());
        var relay = new AtomicReference<KafkaRelay>();
        node.healthCheck(NAME, () -> {
            KafkaRelay current = relay.get();
            Map<String, Object> details = relayJson(config, current);
            details.put("consumerLag", groupLags());
            return current != null && current.isRunning() ? Health.up(details) : Health.down(details);
        });
        node.routes().get(PATH, Role.ADMIN, ctx -> node.json().send(ctx, 200, Map.of(
                "relay", relayJson(config, relay.get()),
                "consumers", running.stream().map(KafkaModule::consumerJson).toList())));
        meters(node.meterRegistry(), relay);
        var lagMeters = MultiGauge.builder("annals.kafka.consumer.lag")
                .description("records after this node's position in a partition it holds (committed records only)")
                .register(node.meterRegistry());
        var refresher = new AtomicReference<Thread>();
        node.onStart(() -> {
            relay.set(KafkaRelay.start(node.store(), config));
            LOG.info("Kafka: relaying the store to {} as relay {}", config.bootstrapServers(), config.relayId());
            for (KafkaConsumerConfig consumer : consumers.apply(new Setup(config.bootstrapServers(), node.store()))) {
                KafkaEventConsumer started = KafkaEventConsumer.start(consumer);
                running.add(started);
                String group = started.groupId();
                Gauge.builder("annals.kafka.consumer.group.lag", this, module -> module.groupLags().getOrDefault(group, 0L))
                        .description("records after this node's positions, summed over the partitions it holds")
                        .tag("group", group).register(node.meterRegistry());
                LOG.info("Kafka: consumer group {} reads {}", consumer.groupId(), consumer.topics());
            }
            if (!running.isEmpty()) {
                refresher.set(Thread.ofVirtual().name("annals-kafka-lag-meters").start(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        lagMeters.register(lagRows(), true);
                        LockSupport.parkNanos(LAG_METERS_REFRESH.toNanos());
                    }
                }));
            }
        });
        node.onStop(() -> {
            Thread thread = refresher.getAndSet(null);
            if (thread != null) {
                thread.interrupt();
            }
            running.forEach(KafkaEventConsumer::close);
            running.clear();
            KafkaRelay current = relay.getAndSet(null);
            if (current != null) {
                current.close();
            }
        });
    }

    private static Map<String, Object> relayJson(KafkaRelayConfig config, KafkaRelay relay) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("bootstrap", config.bootstrapServers());
        details.put("relayId", config.relayId());
        details.put("running", relay != null && relay.isRunning());
        if (relay != null) {
            RelayStatus status = relay.status();
            details.put("leader", status.leader());
            details.put("checkpoint", status.checkpoint().map(Object::toString).orElse(null));
            details.put("publishedEvents", status.publishedEvents());
            details.put("pendingEvents", status.pendingEvents());
            details.put("lagSeconds", status.lag().toMillis() / 1000.0);
        }
        return details;
    }

    private static Map<String, Object> consumerJson(KafkaEventConsumer consumer) {
        Map<TopicPartition, Long> lag = consumer.lag();
        var body = new LinkedHashMap<String, Object>();
        body.put("group", consumer.groupId());
        body.put("handled", consumer.handled());
        body.put("deadLettered", consumer.deadLettered());
        body.put("lag", sum(lag));
        body.put("partitions", lag.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(TopicPartition::topic)
                        .thenComparingInt(TopicPartition::partition)))
                .map(entry -> Map.of("topic", entry.getKey().topic(), "partition", entry.getKey().partition(),
                        "lag", entry.getValue()))
                .toList());
        return body;
    }

    private Map<String, Long> groupLags() {
        var lags = new LinkedHashMap<String, Long>();
        running.forEach(consumer -> lags.merge(consumer.groupId(), sum(consumer.lag()), Long::sum));
        return lags;
    }

    private List<MultiGauge.Row<?>> lagRows() {
        var rows = new ArrayList<MultiGauge.Row<?>>();
        for (KafkaEventConsumer consumer : running) {
            consumer.lag().forEach((partition, lag) -> rows.add(MultiGauge.Row.of(Tags.of("group", consumer.groupId(),
                    "topic", partition.topic(), "partition", Integer.toString(partition.partition())), lag)));
        }
        return rows;
    }

    private static long sum(Map<TopicPartition, Long> lag) {
        return lag.values().stream().mapToLong(Long::longValue).sum();
    }

    private static void meters(MeterRegistry registry, AtomicReference<KafkaRelay> relay) {
        gauge(registry, "annals.kafka.relay.lag.seconds", "age of the oldest event read from the store and not yet in Kafka",
                relay, status -> status.lag().toNanos() / 1e9);
        gauge(registry, "annals.kafka.relay.lag.events", "events read from the store and not yet committed to Kafka",
                relay, RelayStatus::pendingEvents);
        gauge(registry, "annals.kafka.relay.leader", "1 when this node's relay publishes the store", relay,
                status -> status.leader() ? 1 : 0);
        FunctionCounter.builder("annals.kafka.relay.published.events", relay,
                        r -> r.get() == null ? 0 : r.get().status().publishedEvents())
                .description("events this node committed to Kafka").register(registry);
    }

    private static void gauge(MeterRegistry registry, String name, String description,
                              AtomicReference<KafkaRelay> relay, ToDoubleFunction<RelayStatus> value) {
        Gauge.builder(name, relay, r -> r.get() == null ? 0 : value.applyAsDouble(r.get().status()))
                .description(description).register(registry);
    }
}
