package io.annals.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.annals.event.Metadata;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.event.Tag;
import io.annals.store.jsonlines.IsoInstants;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A recorded event as a Kafka record in the CloudEvents Kafka binding's binary mode, and back.
 *
 * <p>The value is the event's data, the JSON document the store holds, unchanged; everything else
 * travels in {@code ce_} headers (see {@link CloudEventHeaders}). Times are written as the JSON
 * lines format writes them ({@link IsoInstants}), so an event read back from Kafka equals the one
 * the store returned, position and tags included.
 */
public final class CloudEventCodec {

    private static final JsonFactory JSON = new JsonFactory();

    private final String source;

    /** @param source the {@code ce_source} of every event written, a URI-reference such as {@code /annals/orders} */
    public CloudEventCodec(String source) {
        Objects.requireNonNull(source, "source");
        if (source.isBlank()) {
            throw new IllegalArgumentException("the CloudEvents source must not be blank");
        }
        this.source = source;
    }

    public String source() {
        return source;
    }

    /** The record of {@code event} on {@code topic}, keyed by its stream id. */
    public ProducerRecord<String, byte[]> encode(String topic, RecordedEvent event) {
        var headers = new RecordHeaders();
        put(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        put(headers, CloudEventHeaders.ID, event.eventId().toString());
        put(headers, CloudEventHeaders.TYPE, event.type());
        put(headers, CloudEventHeaders.SOURCE, source);
        put(headers, CloudEventHeaders.TIME, IsoInstants.format(event.occurredAt()));
        put(headers, CloudEventHeaders.SUBJECT, event.streamId().value());
        put(headers, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        event.metadata().correlationId().ifPresent(id -> put(headers, CloudEventHeaders.CORRELATION_ID, id));
        event.metadata().causationId().ifPresent(id -> put(headers, CloudEventHeaders.CAUSATION_ID, id));
        put(headers, CloudEventHeaders.STREAM_VERSION, Long.toString(event.version()));
        put(headers, CloudEventHeaders.POSITION, event.position().toString());
        put(headers, CloudEventHeaders.RECORDED_TIME, IsoInstants.format(event.recordedAt()));
        if (!event.tags().isEmpty()) {
            put(headers, CloudEventHeaders.TAGS, tagsJson(event));
        }
        var rest = new TreeMap<>(event.metadata().values());
        rest.remove(Metadata.CORRELATION_ID);
        rest.remove(Metadata.CAUSATION_ID);
        if (!rest.isEmpty()) {
            put(headers, CloudEventHeaders.METADATA, metadataJson(rest));
        }
        return new ProducerRecord<>(topic, null, event.streamId().value(),
                event.data().getBytes(StandardCharsets.UTF_8), headers);
    }

    /**
     * The event a record carries.
     *
     * @throws UndecodableRecordException when it is not a CloudEvent as Annals writes them: a
     *         header missing or malformed, or a value that is not one JSON document
     */
    public static RecordedEvent decode(ConsumerRecord<byte[], byte[]> record) {
        try {
            Headers headers = record.headers();
            String specVersion = required(headers, CloudEventHeaders.SPEC_VERSION);
            if (!CloudEventHeaders.SPEC_VERSION_1_0.equals(specVersion)) {
                throw new IllegalArgumentException("ce_specversion is '" + specVersion + "', expected 1.0");
            }
            String contentType = optional(headers, CloudEventHeaders.CONTENT_TYPE);
            if (contentType != null && !contentType.startsWith(CloudEventHeaders.JSON)) {
                throw new IllegalArgumentException("content-type is '" + contentType + "', expected " + CloudEventHeaders.JSON);
            }
            if (record.value() == null) {
                throw new IllegalArgumentException("the record has no value");
            }
            String data = new String(record.value(), StandardCharsets.UTF_8);
            requireOneJsonDocument(data);
            var metadata = new TreeMap<String, String>();
            String rest = optional(headers, CloudEventHeaders.METADATA);
            if (rest != null) {
                metadata.putAll(parseMetadata(rest));
            }
            String correlationId = optional(headers, CloudEventHeaders.CORRELATION_ID);
            if (correlationId != null) {
                metadata.put(Metadata.CORRELATION_ID, correlationId);
            }
            String causationId = optional(headers, CloudEventHeaders.CAUSATION_ID);
            if (causationId != null) {
                metadata.put(Metadata.CAUSATION_ID, causationId);
            }
            String tags = optional(headers, CloudEventHeaders.TAGS);
            Instant occurredAt = IsoInstants.parse(required(headers, CloudEventHeaders.TIME));
            String recordedAt = optional(headers, CloudEventHeaders.RECORDED_TIME);
            String position = optional(headers, CloudEventHeaders.POSITION);
            String version = required(headers, CloudEventHeaders.STREAM_VERSION);
            return new RecordedEvent(
                    StreamId.of(required(headers, CloudEventHeaders.SUBJECT)),
                    Long.parseLong(version),
                    position == null ? Position.START : Position.parse(position),
                    UUID.fromString(required(headers, CloudEventHeaders.ID)),
                    required(headers, CloudEventHeaders.TYPE),
                    data,
                    new Metadata(metadata),
                    recordedAt == null ? occurredAt : IsoInstants.parse(recordedAt),
                    occurredAt,
                    tags == null ? java.util.Set.of() : java.util.Set.copyOf(parseTags(tags)));
        } catch (RuntimeException e) {
            throw new UndecodableRecordException(record.topic() + "-" + record.partition() + "@" + record.offset()
                    + " is not an Annals CloudEvent: " + e.getMessage(), e);
        }
    }

    private static void put(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String optional(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String required(Headers headers, String name) {
        String value = optional(headers, name);
        if (value == null) {
            throw new IllegalArgumentException("header " + name + " is missing");
        }
        return value;
    }

    private static String tagsJson(RecordedEvent event) {
        return json(out -> {
            out.writeStartArray();
            for (Tag tag : event.tags()) {
                out.writeString(tag.toString());
            }
            out.writeEndArray();
        });
    }

    private static String metadataJson(Map<String, String> values) {
        return json(out -> {
            out.writeStartObject();
            for (Map.Entry<String, String> entry : values.entrySet()) {
                out.writeStringField(entry.getKey(), entry.getValue());
            }
            out.writeEndObject();
        });
    }

    private interface JsonWriting {
        void write(JsonGenerator out) throws IOException;
    }

    private static String json(JsonWriting writing) {
        var text = new StringWriter();
        try (JsonGenerator out = JSON.createGenerator(text)) {
            writing.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static List<Tag> parseTags(String json) {
        var tags = new ArrayList<Tag>();
        try (JsonParser in = JSON.createParser(json)) {
            expect(in.nextToken(), JsonToken.START_ARRAY, "ce_tags");
            for (JsonToken token = in.nextToken(); token != JsonToken.END_ARRAY; token = in.nextToken()) {
                expect(token, JsonToken.VALUE_STRING, "ce_tags");
                tags.add(Tag.parse(in.getText()));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("ce_tags is not a JSON array of strings", e);
        }
        return tags;
    }

    private static Map<String, String> parseMetadata(String json) {
        var values = new TreeMap<String, String>();
        try (JsonParser in = JSON.createParser(json)) {
            expect(in.nextToken(), JsonToken.START_OBJECT, "ce_metadata");
            for (JsonToken token = in.nextToken(); token != JsonToken.END_OBJECT; token = in.nextToken()) {
                String key = in.currentName();
                expect(in.nextToken(), JsonToken.VALUE_STRING, "ce_metadata");
                values.put(key, in.getText());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("ce_metadata is not a JSON object of strings", e);
        }
        return values;
    }

    private static void expect(JsonToken token, JsonToken expected, String header) {
        if (token != expected) {
            throw new IllegalArgumentException(header + " is malformed: unexpected " + token);
        }
    }

    private static void requireOneJsonDocument(String data) {
        try (JsonParser in = JSON.createParser(data)) {
            if (in.nextToken() == null) {
                throw new IllegalArgumentException("the value is empty, expected a JSON document");
            }
            in.skipChildren();
            if (in.nextToken() != null) {
                throw new IllegalArgumentException("the value holds more than one JSON document");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the value is not JSON: " + e.getMessage(), e);
        }
    }
}
