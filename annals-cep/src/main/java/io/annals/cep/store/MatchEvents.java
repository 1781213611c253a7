package io.annals.cep.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.annals.cep.Match;
import io.annals.event.EventData;
import io.annals.event.Metadata;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * How a match becomes an event, tagged with its pattern and its key so that queries and
 * projections find it like any other event. Its id is derived from the processor, the pattern, the key and
 * the positions of the matched events, so the same match always gets the same id and a restart
 * that finds it again recognises it as written.
 */
public final class MatchEvents {

    /** Metadata: the pattern's name. */
    public static final String PATTERN = "cep.pattern";
    /** Metadata: the partition key. */
    public static final String KEY = "cep.key";
    /** Metadata: the position of the last input event processed when the match was emitted. */
    public static final String INPUT = "cep.input";
    /** Metadata: the watermark when the match was emitted, epoch milliseconds. */
    public static final String WATERMARK = "cep.watermark";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private MatchEvents() {
    }

    /** {@code <pattern>Detected}, as in the seed's {@code SuspiciousUserActivityDetected}. */
    public static String type(String pattern) {
        return pattern + "Detected";
    }

    public static UUID id(String processor, Match<RecordedEvent, String> match) {
        var name = new StringBuilder(processor).append('\n').append(match.pattern()).append('\n').append(match.key());
        for (RecordedEvent event : match.events()) {
            name.append('\n').append(event.position());
        }
        return UUID.nameUUIDFromBytes(name.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The tag every match event carries, {@code cep-pattern:<pattern>}. */
    public static Tag patternTag(String pattern) {
        return Tag.of("cep-pattern", pattern);
    }

    /**
     * The tags of a match event: its pattern, and its key under the partition's name ({@code
     * userId:alice}, {@code stream:user-alice}) when that makes a valid tag.
     */
    static List<Tag> tags(Match<RecordedEvent, String> match, String keyName) {
        var tags = new ArrayList<Tag>();
        tags.add(patternTag(match.pattern()));
        try {
            tags.add(Tag.of(keyName, match.key()));
        } catch (IllegalArgumentException e) {
            // a key that is empty or too long for a tag stays in the data and the metadata only
        }
        return tags;
    }

    static EventData toEvent(String processor, Match<RecordedEvent, String> match, Position input, long watermark,
                             long window, String keyName) {
        ObjectNode data = MAPPER.createObjectNode();
        data.put("pattern", match.pattern());
        data.put("key", match.key());
        data.put("absence", match.absence());
        data.put("firstOccurredAt", Instant.ofEpochMilli(match.firstTime()).toString());
        data.put("lastOccurredAt", Instant.ofEpochMilli(match.lastTime()).toString());
        var events = data.putArray("events");
        for (int i = 0; i < match.events().size(); i++) {
            RecordedEvent event = match.events().get(i);
            events.addObject()
                    .put("stage", match.stages().get(i))
                    .put("type", event.type())
                    .put("streamId", event.streamId().value())
                    .put("eventId", event.eventId().toString())
                    .put("position", event.position().toString());
        }
        var metadata = new Metadata(java.util.Map.of(
                PATTERN, match.pattern(),
                KEY, match.key(),
                INPUT, input.toString(),
                WATERMARK, Long.toString(watermark)));
        Instant occurredAt = Instant.ofEpochMilli(match.absence() ? match.firstTime() + window : match.lastTime());
        return new EventData(id(processor, match), type(match.pattern()), data.toString(), metadata, occurredAt)
                .withTags(tags(match, keyName));
    }
}
