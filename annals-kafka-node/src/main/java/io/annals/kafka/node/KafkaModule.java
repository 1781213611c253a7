package io.annals.kafka.node;

import io.annals.kafka.KafkaRelay;
import io.annals.kafka.KafkaRelayConfig;
import io.annals.kafka.RelayStatus;
import io.annals.node.HealthCheck.Health;
import io.annals.node.NodeContext;
import io.annals.node.NodeModule;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka relay in the node ({@code ./annals serve --kafka HOST:PORT}): publishes the node's
 * store to Kafka (see {@code docs/kafka.md}). Health part {@code kafka}: down when the relay
 * stopped; its details say whether this node leads, the checkpoint and the lag. Meters
 * {@code annals.kafka.relay.*}: lag in seconds and in events read but not yet committed,
 * events published, leadership.
 */
public final class KafkaModule implements NodeModule {

    public static final String NAME = "kafka";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaModule.class);

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
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("bootstrap", config.bootstrapServers());
            details.put("relayId", config.relayId());
            if (current == null) {
                return Health.down(details);
            }
            RelayStatus status = current.status();
            details.put("leader", status.leader());
            details.put("checkpoint", status.checkpoint().map(Object::toString).orElse(null));
            details.put("publishedEvents", status.publishedEvents());
            details.put("pendingEvents", status.pendingEvents());
            details.put("lagSeconds", status.lag().toMillis() / 1000.0);
            return current.isRunning() ? Health.up(details) : Health.down(details);
        });
        meters(node.meterRegistry(), relay);
        node.onStart(() -> {
            relay.set(KafkaRelay.start(node.store(), config));
            LOG.info("Kafka: relaying the store to {} as relay {}", config.bootstrapServers(), config.relayId());
        });
        node.onStop(() -> {
            KafkaRelay current = relay.getAndSet(null);
            if (current != null) {
                current.close();
            }
        });
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
