package io.annals.cep.text;

import io.annals.event.RecordedEvent;
import java.util.function.Function;

/** What a text pattern partitions by: the stream, a field of the event's data, a tag, or a metadata entry. */
public sealed interface PartitionKey extends Function<RecordedEvent, String> {

    /** The tag key under which matches carry their partition key: the field, entry or tag name. */
    String tagName();

    /** The event's stream id. */
    record Stream() implements PartitionKey {
        @Override
        public String apply(RecordedEvent event) {
            return event.streamId().value();
        }

        @Override
        public String tagName() {
            return "stream";
        }
    }

    /** A top-level field of the event's JSON data; events without it share the key {@code ""}. */
    record DataField(String name) implements PartitionKey {
        @Override
        public String apply(RecordedEvent event) {
            return EventFields.text(event, name);
        }

        @Override
        public String tagName() {
            return name;
        }
    }

    /** The value of the event's tag with this key; events without one share the key {@code ""}. */
    record TagValue(String tagKey) implements PartitionKey {
        @Override
        public String apply(RecordedEvent event) {
            for (var tag : event.tags()) {
                if (tag.key().equals(tagKey)) {
                    return tag.value();
                }
            }
            return "";
        }

        @Override
        public String tagName() {
            return tagKey;
        }
    }

    /** A metadata entry; events without it share the key {@code ""}. */
    record MetadataEntry(String name) implements PartitionKey {
        @Override
        public String apply(RecordedEvent event) {
            return event.metadata().get(name).orElse("");
        }

        @Override
        public String tagName() {
            return name;
        }
    }
}
