package io.annals.store.jsonlines;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.annals.event.EventData;
import io.annals.event.Metadata;
import io.annals.event.StreamId;
import io.annals.event.Tag;
import io.annals.store.DeleteMode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Reads the JSON lines format ({@code docs/json-lines-format.md}) line by line with Jackson's
 * streaming parser; {@code data} is kept as the line's own text, not parsed into a tree. Blank
 * lines are skipped, unknown fields ignored. Used by one thread.
 */
public final class JsonLinesReader {

    private static final JsonFactory JSON = new JsonFactory();

    private final BufferedReader lines;
    private long number;
    /** Streams with a deletion line so far, and its number: no event of theirs may follow. */
    private final Map<StreamId, Long> deleted = new HashMap<>();
    /** The last text read into each repeated value: consecutive lines mostly share stream and times. */
    private String lastStreamText;
    private StreamId lastStream;
    private String lastTimeText;
    private Instant lastTime;

    public JsonLinesReader(InputStream in) {
        this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    /** The number of the last line read, from 1. */
    public long lineNumber() {
        return number;
    }

    /**
     * The next line, or null at the end.
     *
     * @throws InvalidLineException when the line is not a valid event or deletion
     * @throws IOException          when the input cannot be read
     */
    public JsonLine next() throws IOException {
        String text;
        do {
            text = lines.readLine();
            if (text == null) {
                return null;
            }
            number++;
        } while (text.isBlank());
        JsonLine line = parse(text, number);
        switch (line) {
            case JsonLine.Event event -> {
                Long deletion = deleted.get(event.streamId());
                if (deletion != null) {
                    throw new InvalidLineException(number, "an event of stream " + event.streamId()
                            + " follows its deletion on line " + deletion + "; a stream's deletions come after its events");
                }
            }
            case JsonLine.Deletion deletion -> deleted.putIfAbsent(deletion.streamId(), deletion.number());
        }
        return line;
    }

    private JsonLine parse(String text, long number) {
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw invalid("a line must be a JSON object");
            }
            String eventId = null, streamId = null, type = null, data = null, recordedAt = null, occurredAt = null;
            String deletion = null;
            Long version = null, throughVersion = null;
            Metadata metadata = Metadata.EMPTY;
            List<Tag> tags = List.of();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "eventId" -> eventId = text(parser, field);
                    case "streamId" -> streamId = text(parser, field);
                    case "type" -> type = text(parser, field);
                    case "recordedAt" -> recordedAt = text(parser, field);
                    case "occurredAt" -> occurredAt = value == JsonToken.VALUE_NULL ? null : text(parser, field);
                    case "version" -> version = wholeNumber(parser, field);
                    case "data" -> data = rawValue(parser, text);
                    case "metadata" -> metadata = metadata(parser);
                    case "tags" -> tags = tags(parser);
                    case "deleted" -> deletion = text(parser, field);
                    case "throughVersion" -> throughVersion = wholeNumber(parser, field);
                    default -> parser.skipChildren(); // position, which the target assigns anew, and fields of later versions
                }
            }
            if (parser.nextToken() != null) {
                throw invalid("content after the JSON object");
            }
            if (deletion != null) {
                if (eventId != null || version != null || type != null || data != null || recordedAt != null || !tags.isEmpty()) {
                    throw invalid("a line is either an event or a deletion, not both");
                }
                return deletion(number, deletion, streamId(require("streamId", streamId)), throughVersion);
            }
            require("eventId", eventId);
            require("streamId", streamId);
            require("version", version);
            require("type", type);
            require("data", data);
            require("recordedAt", recordedAt);
            if (data.contains("\\u0000")) {
                // as appends: PostgreSQL's jsonb cannot hold U+0000, so no store takes it
                throw invalid("data contains the escape \\u0000, which is not supported");
            }
            Instant recorded = instant("recordedAt", recordedAt);
            Instant occurred = occurredAt == null ? recorded : instant("occurredAt", occurredAt);
            var event = new EventData(uuid(eventId), type, data, metadata, occurred, tags.isEmpty() ? null : Set.copyOf(tags));
            return new JsonLine.Event(number, streamId(streamId), version, event, recorded);
        } catch (JsonProcessingException e) {
            throw new InvalidLineException(number, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidLineException(number, "not readable: " + e.getMessage());
        } catch (Problem e) {
            throw new InvalidLineException(number, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new InvalidLineException(number, e.getMessage()); // from EventData and Tag: the type, a tag
        }
    }

    private static JsonLine.Deletion deletion(long number, String mode, StreamId streamId, Long throughVersion) {
        return switch (mode) {
            case "soft" -> new JsonLine.Deletion(number, streamId, DeleteMode.SOFT, require("throughVersion", throughVersion));
            case "hard" -> new JsonLine.Deletion(number, streamId, DeleteMode.HARD, -1);
            default -> throw invalid("deleted must be \"soft\" or \"hard\", not \"" + mode + "\"");
        };
    }

    private static String text(JsonParser parser, String field) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw invalid(field + " must be a string");
        }
        return parser.getText();
    }

    private static long wholeNumber(JsonParser parser, String field) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                || parser.getLongValue() < 0) {
            throw invalid(field + " must be a whole number of 0 or more");
        }
        return parser.getLongValue();
    }

    /** The value's text exactly as the line has it; the parser checks it while skipping it. */
    private static String rawValue(JsonParser parser, String line) throws IOException {
        JsonToken value = parser.currentToken();
        if (value != JsonToken.START_OBJECT && value != JsonToken.START_ARRAY) {
            throw invalid("data must be a JSON object or array");
        }
        int start = (int) parser.currentTokenLocation().getCharOffset();
        parser.skipChildren();
        int end = (int) parser.currentLocation().getCharOffset();
        return line.substring(start, end);
    }

    private static Metadata metadata(JsonParser parser) throws IOException {
        JsonToken value = parser.currentToken();
        if (value == JsonToken.VALUE_NULL) {
            return Metadata.EMPTY;
        }
        if (value != JsonToken.START_OBJECT) {
            throw invalid("metadata must be an object of strings");
        }
        TreeMap<String, String> values = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                throw invalid("metadata value of '" + key + "' must be a string");
            }
            if (values == null) {
                values = new TreeMap<>();
            }
            values.put(key, parser.getText());
        }
        return values == null ? Metadata.EMPTY : new Metadata(values);
    }

    private static List<Tag> tags(JsonParser parser) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw invalid("tags must be an array of key:value strings");
        }
        var tags = new ArrayList<Tag>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                throw invalid("tags must be an array of key:value strings");
            }
            tags.add(Tag.parse(parser.getText()));
        }
        return tags;
    }

    private StreamId streamId(String text) {
        if (!text.equals(lastStreamText)) {
            if (!StreamId.isValid(text)) {
                throw invalid("stream id '" + text + "' is not valid");
            }
            lastStream = StreamId.of(text);
            lastStreamText = text;
        }
        return lastStream;
    }

    private Instant instant(String field, String text) {
        if (!text.equals(lastTimeText)) {
            try {
                lastTime = IsoInstants.parse(text);
            } catch (DateTimeParseException e) {
                throw invalid(field + " '" + text + "' is not an ISO-8601 instant");
            }
            lastTimeText = text;
        }
        return lastTime;
    }

    private static UUID uuid(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw invalid("eventId '" + text + "' is not a UUID");
        }
    }

    private static <T> T require(String field, T value) {
        if (value == null) {
            throw invalid("field " + field + " is missing");
        }
        return value;
    }

    private static Problem invalid(String problem) {
        return new Problem(problem);
    }

    /** What is wrong with the line being parsed; the line number is added where it is caught. */
    private static final class Problem extends RuntimeException {
        Problem(String message) {
            super(message, null, false, false);
        }
    }
}
