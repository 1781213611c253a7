package io.annals.kafka.testing;

import io.annals.kafka.CloudEventCodec;
import io.annals.kafka.KafkaRelayConfig;
import io.annals.kafka.TopicRouter;

import io.annals.event.RecordedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker (KRaft, one node) in the test JVM, and small clients to look at what it
 * holds. Published in this module's test-jar for the server's tests.
 */
public final class TestKafka implements AutoCloseable {

    private final KafkaClusterTestKit cluster;
    private boolean closed;

    private TestKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** One combined broker and controller; {@code combined = false} runs them apart so the broker can restart alone. */
    public static TestKafka start(boolean combined) {
        try {
            var nodes = new TestKitNodes.Builder()
                    .setCombined(combined)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build();
            var cluster = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "4")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("transaction.state.log.num.partitions", "4")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("group.min.session.timeout.ms", "1000")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new TestKafka(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("could not start a Kafka broker", e);
        }
    }

    public static TestKafka start() {
        return start(true);
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public KafkaClusterTestKit cluster() {
        return cluster;
    }

    public Map<String, Object> clientConfig() {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    }

    public KafkaProducer<byte[], byte[]> producer() {
        var config = new HashMap<>(clientConfig());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Every record of {@code topic} visible at {@code isolation} now, partition by partition, in offset order. */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic, String isolation) {
        var config = new HashMap<>(clientConfig());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            var records = new ArrayList<ConsumerRecord<byte[], byte[]>>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            records.sort(java.util.Comparator.<ConsumerRecord<byte[], byte[]>>comparingInt(ConsumerRecord::partition)
                    .thenComparingLong(ConsumerRecord::offset));
            return records;
        }
    }

    public List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        return readAll(topic, "read_committed");
    }

    /** A relay of test {@code name}: its own id, offsets topic and topics {@code <name>.order}, {@code <name>.user}. */
    public KafkaRelayConfig relayConfig(String name) {
        return KafkaRelayConfig.of(bootstrapServers())
                .withRelayId(name, name + ".offsets")
                .withRouter(TopicRouter.byCategory(name + "."))
                .withSource("/annals/test")
                .withTopics(3, (short) 1)
                .withBatches(50, Duration.ofMillis(10))
                .withSessionTimeout(Duration.ofSeconds(2));
    }

    /** What the relay of test {@code name} published, decoded, topic by topic and partition by partition. */
    public List<RecordedEvent> published(String name, String isolation) {
        var events = new ArrayList<RecordedEvent>();
        for (String category : List.of("order", "user")) {
            String topic = name + "." + category;
            if (topics().contains(topic)) {
                readAll(topic, isolation).forEach(record -> events.add(CloudEventCodec.decode(record)));
            }
        }
        return events;
    }

    public static Map<String, List<RecordedEvent>> byStream(List<RecordedEvent> events) {
        return events.stream().collect(java.util.stream.Collectors.groupingBy(e -> e.streamId().value()));
    }

    public Set<String> topics() {
        try (var admin = cluster.admin()) {
            return admin.listTopics().names().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the Kafka broker", e);
        }
    }
}
