package io.annals.store.sqlite;

import io.annals.event.Tag;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.event.Metadata;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** How event fields are encoded in columns: UUIDs as 16 bytes, instants as epoch nanoseconds, metadata as JSON. */
final class EventColumns {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** The earliest and latest instants that fit in a signed 64-bit count of nanoseconds. */
    static final Instant MIN_INSTANT = Instant.ofEpochSecond(0, Long.MIN_VALUE);
    static final Instant MAX_INSTANT = Instant.ofEpochSecond(0, Long.MAX_VALUE);

    private EventColumns() {
    }

    static byte[] uuidBytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }

    static UUID uuid(byte[] bytes) {
        if (bytes == null || bytes.length != 16) {
            throw new IllegalStateException("event_id column does not hold 16 bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    static boolean fitsNanos(Instant instant) {
        return !instant.isBefore(MIN_INSTANT) && !instant.isAfter(MAX_INSTANT);
    }

    static long nanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
    }

    /** JSON of the metadata, or null when it is empty (the common case costs nothing to read). */
    static String metadataJson(Metadata metadata) {
        if (metadata.isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(metadata.values());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode metadata", e);
        }
    }

    static Metadata metadata(String json) {
        if (json == null) {
            return Metadata.EMPTY;
        }
        try {
            return new Metadata(JSON.readValue(json, STRING_MAP));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metadata column does not hold a JSON object of strings", e);
        }
    }

    /** The tags joined by newlines (a tag holds no control characters), or null when there are none. */
    static String tagsText(Set<Tag> tags) {
        if (tags.isEmpty()) {
            return null;
        }
        var text = new StringBuilder();
        for (Tag tag : tags) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(tag);
        }
        return text.toString();
    }

    static Set<Tag> tags(String text) {
        if (text == null) {
            return Set.of();
        }
        var tags = new ArrayList<Tag>();
        for (String line : text.split("\n")) {
            tags.add(Tag.parse(line));
        }
        return Tag.setOf(tags);
    }
}
