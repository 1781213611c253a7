package io.annals.kafka;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics Annals writes to when they are missing, once per topic and client. */
final class Topics {

    private static final java.time.Duration LEADER_WAIT = java.time.Duration.ofSeconds(30);

    private final Admin admin;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    Topics(Admin admin) {
        this.admin = admin;
    }

    void ensure(String topic, int partitions, short replicationFactor, Map<String, String> configs) {
        if (known.contains(topic)) {
            return;
        }
        TopicNames.requireValid(topic);
        try {
            admin.createTopics(Set.of(new NewTopic(topic, partitions, replicationFactor).configs(configs))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new KafkaException("could not create topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while creating topic " + topic, e);
        }
        awaitLeaders(topic);
        known.add(topic);
    }

    /**
     * Waits until every partition of a new topic has a leader: an idempotent producer's first
     * batch to a partition whose leader is not yet elected can leave it retrying for ever with
     * {@code OUT_OF_ORDER_SEQUENCE_NUMBER}.
     */
    void awaitLeaders(String topic) {
        long deadline = System.nanoTime() + LEADER_WAIT.toNanos();
        while (true) {
            try {
                var description = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic);
                if (description != null && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                // not known to the broker yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while waiting for the leaders of " + topic, e);
            }
            if (System.nanoTime() > deadline) {
                throw new KafkaException("the partitions of " + topic + " have no leader after " + LEADER_WAIT);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while waiting for the leaders of " + topic, e);
            }
        }
    }

    /** The number of partitions of an existing topic. */
    int partitionsOf(String topic) {
        try {
            return admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions().size();
        } catch (ExecutionException e) {
            throw new KafkaException("could not describe topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while describing topic " + topic, e);
        }
    }
}
