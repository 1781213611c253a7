package io.annals.kafka;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.store.EventFilter;
import io.annals.store.EventSubscriptions;
import io.annals.store.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One term of leadership: a transactional producer that has fenced every older one with the same
 * transactional id, the checkpoint committed before it, and a subscription to the store from
 * there. Any failure ends the term; the relay opens a new one, which starts again from the last
 * committed checkpoint, so an aborted transaction loses nothing.
 */
final class RelaySession implements AutoCloseable {

    private static final Duration IDLE_WAIT = Duration.ofMillis(100);

    private final KafkaRelayConfig config;
    private final CloudEventCodec codec;
    private final Topics topics;
    private final KafkaProducer<String, byte[]> producer;
    private final BlockingQueue<RecordedEvent> queue;
    private final Subscription subscription;
    private volatile boolean closed;
    private Position checkpoint;

    private RelaySession(KafkaRelayConfig config, CloudEventCodec codec, Topics topics,
                         KafkaProducer<String, byte[]> producer, Position checkpoint, EventSubscriptions store) {
        this.config = config;
        this.codec = codec;
        this.topics = topics;
        this.producer = producer;
        this.checkpoint = checkpoint;
        this.queue = new ArrayBlockingQueue<>(config.maxBatchEvents() * 2);
        int batch = Math.min(config.maxBatchEvents(), EventSubscriptions.MAX_BATCH);
        this.subscription = store.subscribeToAll(checkpoint, EventFilter.ALL, batch, this::enqueue);
    }

    /** Fences older producers (aborting their open transaction), reads the checkpoint, subscribes after it. */
    static RelaySession open(KafkaRelayConfig config, CloudEventCodec codec, Topics topics,
                             Map<String, Object> clientConfig, EventSubscriptions store) {
        var producerConfig = new HashMap<>(clientConfig);
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.relayId());
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // transactions follow each other at once, and the broker answers the next one's first sends
        // with CONCURRENT_TRANSACTIONS until the last one's markers are written: retry soon, not after 100 ms
        producerConfig.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 5);
        var producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        try {
            producer.initTransactions();
            Position checkpoint = Checkpoints.read(clientConfig, config.offsetsTopic(), config.relayId(),
                    Duration.ofSeconds(30)).orElse(Position.START);
            return new RelaySession(config, codec, topics, producer, checkpoint, store);
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
    }

    Position checkpoint() {
        return checkpoint;
    }

    int pending() {
        return queue.size();
    }

    /** The event read from the store longest ago and not yet published, if any. */
    RecordedEvent oldestPending() {
        return queue.peek();
    }

    /**
     * Publishes what the store has after the checkpoint, up to one batch, in one transaction with
     * the new checkpoint; waits briefly when there is nothing. Returns the events committed.
     */
    List<RecordedEvent> relayBatch() throws InterruptedException {
        RecordedEvent first = queue.poll(IDLE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (first == null) {
            if (!subscription.isRunning() && !closed) {
                throw new IllegalStateException("the store subscription stopped",
                        subscription.failure().orElse(null));
            }
            return List.of();
        }
        var batch = new ArrayList<RecordedEvent>(config.maxBatchEvents());
        batch.add(first);
        long deadline = System.nanoTime() + config.maxBatchDelay().toNanos();
        while (batch.size() < config.maxBatchEvents()) {
            long left = deadline - System.nanoTime();
            queue.drainTo(batch, config.maxBatchEvents() - batch.size());
            if (batch.size() >= config.maxBatchEvents() || left <= 0) {
                break;
            }
            RecordedEvent next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            batch.add(next);
        }
        producer.beginTransaction();
        for (RecordedEvent event : batch) {
            String topic = config.router().topicFor(event.streamId());
            topics.ensure(topic, config.partitions(), config.replicationFactor(), Map.of());
            producer.send(codec.encode(topic, event));
        }
        Position last = batch.getLast().position();
        producer.send(Checkpoints.record(config.offsetsTopic(), config.relayId(), last));
        // throws when any send of the transaction failed; the caller then ends this session
        producer.commitTransaction();
        checkpoint = last;
        return batch;
    }

    private void enqueue(List<RecordedEvent> events) throws InterruptedException {
        for (RecordedEvent event : events) {
            while (!queue.offer(event, IDLE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                if (closed) {
                    throw new CancellationException("relay session closed");
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        subscription.close();
        // an open transaction is aborted by the next producer with this id, or by its timeout
        producer.close(Duration.ofSeconds(5));
    }
}
