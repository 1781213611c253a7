package io.annals.kafka;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.store.EventSubscriptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a store's global order to Kafka exactly once, as CloudEvents (see ADR 0015).
 *
 * <p>Each batch of events and the position of its last event go to Kafka in one transaction: the
 * events to their topics, the position to the compacted offsets topic. After a crash the relay
 * reads the last committed position and resumes after it; what the crashed relay had sent in its
 * open transaction is aborted, so a {@code read_committed} consumer sees every event once.
 *
 * <p>Every node relaying the same store runs a relay with the same {@code relayId}. The relays
 * join one consumer group on the single-partition offsets topic, and only the member the
 * partition is assigned to publishes; the transactional id fences a former leader that has not
 * noticed it lost the partition.
 */
public final class KafkaRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaRelay.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final EventSubscriptions store;
    private final KafkaRelayConfig config;
    private final CloudEventCodec codec;
    private final Map<String, Object> clientConfig;
    private final Clock clock;
    private final Thread thread;
    private final AtomicLong published = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean assigned;
    private volatile RelaySession session;
    private volatile Position lastCheckpoint;
    private volatile KafkaConsumer<byte[], byte[]> membership;

    private KafkaRelay(EventSubscriptions store, KafkaRelayConfig config, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = clock;
        this.codec = new CloudEventCodec(config.source());
        var client = new HashMap<String, Object>(config.clientOverrides());
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        this.clientConfig = Map.copyOf(client);
        this.thread = Thread.ofPlatform().name("annals-kafka-relay-" + config.relayId()).unstarted(this::run);
    }

    /** Starts a relay of {@code store}; it publishes once it is the leader among the relays of {@code config.relayId()}. */
    public static KafkaRelay start(EventSubscriptions store, KafkaRelayConfig config) {
        var relay = new KafkaRelay(store, config, Clock.systemUTC());
        relay.thread.start();
        return relay;
    }

    /** Whether the relay still runs: not closed, and not stopped by a failure it could not recover from. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    public RelayStatus status() {
        RelaySession current = session;
        RecordedEvent oldest = current == null ? null : current.oldestPending();
        Duration lag = oldest == null ? Duration.ZERO : Duration.between(oldest.recordedAt(), clock.instant());
        int pending = current == null ? 0 : current.pending();
        return new RelayStatus(current != null, Optional.ofNullable(lastCheckpoint), published.get(), pending,
                lag.isNegative() ? Duration.ZERO : lag);
    }

    private void run() {
        try (Admin admin = Admin.create(clientConfig);
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(membershipConfig(),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            membership = consumer;
            var topics = new Topics(admin);
            while (running) {
                try {
                    topics.ensure(config.offsetsTopic(), 1, config.replicationFactor(), Checkpoints.TOPIC_CONFIG);
                    break;
                } catch (RuntimeException e) {
                    LOG.warn("relay {}: cannot create the offsets topic yet: {}", config.relayId(), e.getMessage());
                    pause();
                }
            }
            consumer.subscribe(List.of(config.offsetsTopic()), new Leadership(consumer));
            while (running) {
                step(consumer, topics);
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("relay {} stopped", config.relayId(), e);
        } finally {
            membership = null;
            endSession();
        }
    }

    private void step(KafkaConsumer<byte[], byte[]> consumer, Topics topics) {
        try {
            consumer.poll(session == null ? Duration.ofMillis(200) : Duration.ZERO);
            if (assigned && session == null && running) {
                session = RelaySession.open(config, codec, topics, clientConfig, store);
                lastCheckpoint = session.checkpoint();
                LOG.info("relay {} leads, resuming after {}", config.relayId(), lastCheckpoint);
            }
            RelaySession current = session;
            if (current != null) {
                List<RecordedEvent> batch = current.relayBatch();
                if (!batch.isEmpty()) {
                    published.addAndGet(batch.size());
                    lastCheckpoint = current.checkpoint();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            // another instance holds the transactional id: it leads, this one waits for the group to say so
            LOG.warn("relay {} was fenced by another instance", config.relayId());
            endSession();
            assigned = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } catch (RuntimeException e) {
            LOG.warn("relay {}: {}; resuming from the last committed checkpoint", config.relayId(), e.toString());
            endSession();
            pause();
        }
    }

    private Map<String, Object> membershipConfig() {
        var consumer = new HashMap<>(clientConfig);
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, config.relayId());
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.sessionTimeout().toMillis());
        consumer.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(100, config.sessionTimeout().toMillis() / 4));
        return consumer;
    }

    private void endSession() {
        RelaySession current = session;
        session = null;
        if (current != null) {
            try {
                current.close();
            } catch (RuntimeException e) {
                LOG.debug("relay {}: closing the session failed", config.relayId(), e);
            }
        }
    }

    private void pause() {
        long until = System.nanoTime() + RETRY_PAUSE.toNanos();
        while (running && System.nanoTime() < until) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    /** Stops publishing after the transaction in hand; another node's relay takes over. Closing again does nothing. */
    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> consumer = membership;
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The member that owns the offsets topic's only partition leads. */
    private final class Leadership implements ConsumerRebalanceListener {

        private final KafkaConsumer<byte[], byte[]> consumer;

        Leadership(KafkaConsumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // the partition is a token: its records are read by the session, not by this consumer
            consumer.pause(partitions);
            if (!partitions.isEmpty()) {
                assigned = true;
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                assigned = false;
                endSession();
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }
}
