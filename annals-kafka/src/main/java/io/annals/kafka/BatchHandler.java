package io.annals.kafka;

import io.annals.event.RecordedEvent;
import io.annals.store.EventHandler;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * What a {@link KafkaEventConsumer} does with the events of one partition. The consumer hands it
 * the events it {@linkplain #accepts accepts}, in offset order: a poll's worth in one call when it
 * is {@linkplain #allOrNothing all or nothing}, else one at a time. When a call with several
 * events fails, the consumer calls it again with each event alone, so that retries and the
 * dead-letter topic concern only the failing one.
 */
public interface BatchHandler {

    /** Whether the event is handled at all; other records are skipped (and their offsets committed). */
    boolean accepts(RecordedEvent event);

    /**
     * Handles the events (possibly none: then only the offset moves) and, when the handler keeps
     * the partition's offsets itself, stores {@code nextOffset} with their effects.
     *
     * @throws OffsetConflictException when the stored offset shows another consumer took the partition
     */
    void handle(TopicPartition partition, List<RecordedEvent> events, long nextOffset) throws Exception;

    /**
     * Whether one call applies all of its events or none of them (one database transaction), so
     * that the consumer may pass several at once. False by default: one event per call.
     */
    default boolean allOrNothing() {
        return false;
    }

    /**
     * Called when the consumer is given partitions: the next offset to read of those whose
     * offsets the handler keeps itself (the consumer seeks there). None by default: the group's
     * offsets committed in Kafka.
     */
    default Map<TopicPartition, Long> assigned(Collection<TopicPartition> partitions) {
        return Map.of();
    }

    /** One handler per event type ({@code ce_type}), one event per call; other types are skipped. */
    static BatchHandler perType(Map<String, EventHandler> handlers) {
        return byType(handlers, false, (events, byType) -> {
            for (RecordedEvent event : events) {
                Objects.requireNonNull(byType.get(event.type())).handle(event);
            }
        });
    }

    /** What a handler built by {@link #byType} does with a call's events, given its handlers by type. */
    @FunctionalInterface
    interface TypedWork<H> {
        void handle(List<RecordedEvent> events, Map<String, H> byType) throws Exception;
    }

    /**
     * A handler that accepts the events whose type ({@code ce_type}) has a handler in
     * {@code handlers} and passes a call's events to {@code work}.
     */
    static <H> BatchHandler byType(Map<String, H> handlers, boolean allOrNothing, TypedWork<H> work) {
        Map<String, H> byType = Map.copyOf(handlers);
        if (byType.isEmpty()) {
            throw new IllegalArgumentException("register at least one handler");
        }
        return new BatchHandler() {
            @Override
            public boolean accepts(RecordedEvent event) {
                return byType.containsKey(event.type());
            }

            @Override
            public void handle(TopicPartition partition, List<RecordedEvent> events, long nextOffset) throws Exception {
                work.handle(events, byType);
            }

            @Override
            public boolean allOrNothing() {
                return allOrNothing;
            }
        };
    }
}
