package io.annals.serialization;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.annals.event.EventData;
import io.annals.event.EventIds;
import io.annals.event.Metadata;
import io.annals.event.RecordedEvent;
import io.annals.event.Tag;
import io.annals.event.Tagged;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Turns domain event objects into {@link EventData} and recorded events back into objects,
 * upcasting old stored shapes on the way in.
 */
public final class EventSerializer {

    private final EventTypeRegistry registry;
    private final UpcasterChain upcasters;
    private final ObjectMapper mapper;

    public EventSerializer(EventTypeRegistry registry) {
        this(registry, UpcasterChain.empty(), defaultMapper());
    }

    public EventSerializer(EventTypeRegistry registry, UpcasterChain upcasters) {
        this(registry, upcasters, defaultMapper());
    }

    public EventSerializer(EventTypeRegistry registry, UpcasterChain upcasters, ObjectMapper mapper) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.upcasters = Objects.requireNonNull(upcasters, "upcasters");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /**
     * The mapper Annals uses unless told otherwise: ISO-8601 dates, and unknown properties
     * ignored so that an older reader tolerates fields a newer writer added.
     */
    public static ObjectMapper defaultMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                // money and other decimals must not pass through double on the way to an upcaster
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .build();
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public EventData serialize(Object event, Metadata metadata) {
        return serialize(event, metadata, null);
    }

    /** The event as {@link EventData}, with its {@link Tagged#tags() tags} when it is {@link Tagged}. */
    public EventData serialize(Object event, Metadata metadata, Instant occurredAt) {
        return serialize(EventIds.timeOrdered(), event, metadata, occurredAt);
    }

    /** As {@link #serialize(Object, Metadata, Instant)}, under an id of the caller's (a retry must repeat its ids). */
    public EventData serialize(UUID eventId, Object event, Metadata metadata, Instant occurredAt) {
        EventTypeRegistry.EventType type = registry.forClass(event.getClass());
        Metadata withRevision = type.revision() > 1
                ? metadata.with(Metadata.SCHEMA_REVISION, Integer.toString(type.revision()))
                : metadata;
        Set<Tag> tags = event instanceof Tagged tagged ? tagged.tags() : Set.of();
        return new EventData(eventId, type.name(), toJson(event), withRevision, occurredAt, tags);
    }

    public Object deserialize(RecordedEvent event) {
        return deserialize(event.type(), event.data(), event.metadata());
    }

    public Object deserialize(String type, String data, Metadata metadata) {
        int revision = metadata.get(Metadata.SCHEMA_REVISION).map(Integer::parseInt).orElse(1);
        try {
            SerializedEvent current = upcasters.upcast(new SerializedEvent(type, revision, mapper.readTree(data)));
            EventTypeRegistry.EventType registered = registry.forName(current.type())
                    .orElseThrow(() -> new SerializationException("no event class registered for type " + current.type()));
            if (registered.revision() != current.revision()) {
                throw new SerializationException("event type " + current.type() + " is stored at revision "
                        + current.revision() + " but the class expects revision " + registered.revision()
                        + "; register an upcaster");
            }
            return mapper.treeToValue(current.data(), registered.javaType());
        } catch (JsonProcessingException e) {
            throw new SerializationException("cannot read event of type " + type + ": " + e.getOriginalMessage(), e);
        }
    }

    public String toJson(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new SerializationException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    public <T> T fromJson(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new SerializationException("cannot read " + type.getName() + ": " + e.getOriginalMessage(), e);
        }
    }

    public JsonNode toTree(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SerializationException("invalid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
