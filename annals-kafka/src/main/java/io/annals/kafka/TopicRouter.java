package io.annals.kafka;

import io.annals.event.StreamId;

/** Chooses the Kafka topic of a stream's events; all of one stream's events must go to one topic. */
@FunctionalInterface
public interface TopicRouter {

    String topicFor(StreamId streamId);

    /**
     * A topic per stream category (the part of the id before the first {@code -}), after
     * {@code prefix}. Characters a topic name may not hold ({@code : @}) become {@code _}.
     */
    static TopicRouter byCategory(String prefix) {
        if (!prefix.isEmpty()) {
            TopicNames.requireValid(prefix);
        }
        return streamId -> prefix + TopicNames.sanitize(streamId.category());
    }
}
