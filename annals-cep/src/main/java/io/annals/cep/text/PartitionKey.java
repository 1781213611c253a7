package io.annals.cep.text;

import io.annals.event.RecordedEvent;
import java.util.function.Function;

/** What a text pattern partitions by: the stream, a field of the event's data, or a metadata entry. */
public sealed interface PartitionKey extends Function<RecordedEvent, String> {

    /** The event's stream id. */
    record Stream() implements PartitionKey {
        @Override
        public String apply(RecordedEvent event) {
            return event.streamId().value();
        }
    }

    /** A top-level field of the event's JSON data; events without it share the key {@code ""}. */
    record DataField(String name) implements PartitionKey {
        @Override
        public String apply(RecordedEvent event) {
            return EventFields.text(event, name);
        }
    }

    /** A metadata entry; events without it share the key {@code ""}. */
    record MetadataEntry(String name) implements PartitionKey {
        @Override
        public String apply(RecordedEvent event) {
            return event.metadata().get(name).orElse("");
        }
    }
}
