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
        known.add(topic);
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
