package io.annals.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import io.annals.event.EventData;
import io.annals.event.StreamId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The checks every store runs before it touches storage, so that all stores reject the same bad
 * input with the same message.
 */
public final class AppendValidation {

    /**
     * Only checks syntax, so field names need not be interned into a symbol table that nothing
     * reads. Appends arrive on short-lived virtual threads, where a per-thread buffer pool is
     * always empty: the parse buffers come from one shared pool.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
            .build();

    private AppendValidation() {
    }

    public static void validate(StreamId streamId, ExpectedVersion expected, List<EventData> events, AppendLimits limits) {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(expected, "expected");
        if (events == null || events.isEmpty()) {
            throw new InvalidAppendException("an append needs at least one event");
        }
        if (events.size() > limits.maxEventsPerAppend()) {
            throw new InvalidAppendException("an append may hold at most " + limits.maxEventsPerAppend()
                    + " events, got " + events.size());
        }
        var ids = new HashSet<UUID>(events.size() * 2);
        for (EventData event : events) {
            if (event == null) {
                throw new InvalidAppendException("events must not be null");
            }
            if (!ids.add(event.eventId())) {
                throw new InvalidAppendException("event id " + event.eventId() + " appears twice in one append");
            }
            int size = utf8Length(event.data()) + event.type().length();
            for (var entry : event.metadata().values().entrySet()) {
                size += utf8Length(entry.getKey()) + utf8Length(entry.getValue());
            }
            for (var tag : event.tags()) {
                size += tag.key().length() + 1 + utf8Length(tag.value());
            }
            if (size > limits.maxEventBytes()) {
                throw new InvalidAppendException("event " + event.eventId() + " is " + size
                        + " bytes; the limit is " + limits.maxEventBytes());
            }
            requireJsonObjectOrArray(event);
        }
    }

    private static void requireJsonObjectOrArray(EventData event) {
        try (JsonParser parser = JSON.createParser(event.data())) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
                throw new InvalidAppendException("data of event " + event.eventId() + " must be a JSON object or array");
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new InvalidAppendException("data of event " + event.eventId() + " has content after the JSON document");
            }
        } catch (JsonProcessingException e) {
            throw new InvalidAppendException("data of event " + event.eventId() + " is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidAppendException("data of event " + event.eventId() + " is not valid JSON");
        }
        // PostgreSQL's jsonb cannot hold U+0000; refuse it everywhere so that every store agrees
        if (event.data().contains("\\u0000")) {
            throw new InvalidAppendException("data of event " + event.eventId() + " contains the escape \\u0000, which is not supported");
        }
    }

    private static int utf8Length(String text) {
        // exact for ASCII, an upper bound otherwise; cheap enough for every event
        int length = text.length();
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return text.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return length;
    }
}
