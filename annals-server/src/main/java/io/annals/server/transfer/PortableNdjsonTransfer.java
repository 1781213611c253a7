package io.annals.server.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.event.EventData;
import io.annals.event.Metadata;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.server.json.Json;
import io.annals.server.json.RecordedEventJson;
import io.annals.store.AppendResult;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * NDJSON export and import through the store API alone, for stores without a bulk path. Each run
 * of consecutive events of one stream becomes one append that expects the version before its
 * first event, so streams keep their versions, and an import into a store whose streams stand
 * elsewhere fails instead of mixing histories. Event ids are kept, so importing the same file
 * again writes nothing. Recording times are the target's.
 */
public final class PortableNdjsonTransfer implements NdjsonTransfer {

    private static final int PAGE = 1000;

    private final EventStore store;
    private final ObjectMapper mapper = Json.strictMapper();

    public PortableNdjsonTransfer(EventStore store) {
        this.store = store;
    }

    @Override
    public long exportTo(OutputStream out) throws IOException {
        long events = 0;
        Position after = Position.START;
        List<RecordedEvent> page;
        while (!(page = store.readAll(after, PAGE)).isEmpty()) {
            var text = new StringBuilder(page.size() * 300);
            for (RecordedEvent event : page) {
                // one line per event: a stored document's own line breaks must not split it
                text.append(RecordedEventJson.toJson(event).replace("\r", "").replace("\n", "")).append('\n');
            }
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            events += page.size();
            after = page.getLast().position();
        }
        out.flush();
        return events;
    }

    @Override
    public long importFrom(InputStream in) throws IOException {
        var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        var batch = new ArrayList<ArchivedEvent>(PAGE);
        long written = 0;
        long lineNumber = 0;
        String line;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            ArchivedEvent event = parse(line, lineNumber);
            if (!batch.isEmpty() && (!batch.getLast().isFollowedBy(event) || batch.size() == PAGE)) {
                written += append(batch);
                batch.clear();
            }
            batch.add(event);
        }
        if (!batch.isEmpty()) {
            written += append(batch);
        }
        return written;
    }

    private long append(List<ArchivedEvent> batch) {
        ArchivedEvent first = batch.getFirst();
        List<EventData> events = batch.stream().map(ArchivedEvent::data).toList();
        long before = store.streamState(first.streamId()) instanceof io.annals.store.StreamState.Active(long v) ? v : -1;
        AppendResult result = store.append(first.streamId(), ExpectedVersion.after(first.version() - 1), events);
        // a repeated import is answered from the earlier append and writes nothing
        return result.nextExpectedVersion() > before ? batch.size() : 0;
    }

    private ArchivedEvent parse(String line, long lineNumber) {
        try {
            JsonNode node = mapper.readTree(line);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            JsonNode occurred = node.get("occurredAt");
            return new ArchivedEvent(StreamId.of(text(node, "streamId")), version(node),
                    new EventData(UUID.fromString(text(node, "eventId")), text(node, "type"), data(node),
                            metadata(node.get("metadata")),
                            occurred == null || occurred.isNull() ? null : Instant.parse(occurred.asText())));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("line " + lineNumber + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return value.textValue();
    }

    private static long version(JsonNode node) {
        JsonNode value = node.get("version");
        if (value == null || !value.canConvertToExactIntegral() || !value.canConvertToLong() || value.longValue() < 0) {
            throw new IllegalArgumentException("version must be an integer of 0 or more");
        }
        return value.longValue();
    }

    private static String data(JsonNode node) {
        JsonNode value = node.get("data");
        if (value == null || !(value.isObject() || value.isArray())) {
            throw new IllegalArgumentException("data must be a JSON object or array");
        }
        return value.toString();
    }

    private static Metadata metadata(JsonNode node) {
        if (node == null || node.isNull()) {
            return Metadata.EMPTY;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("metadata must be an object of strings");
        }
        var values = new TreeMap<String, String>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new IllegalArgumentException("metadata value of " + entry.getKey() + " must be a string");
            }
            values.put(entry.getKey(), entry.getValue().textValue());
        }
        return new Metadata(values);
    }

    private record ArchivedEvent(StreamId streamId, long version, EventData data) {
        boolean isFollowedBy(ArchivedEvent next) {
            return streamId.equals(next.streamId) && next.version == version + 1;
        }
    }
}
