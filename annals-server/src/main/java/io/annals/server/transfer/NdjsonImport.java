package io.annals.server.transfer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.event.EventData;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.server.json.Json;
import io.annals.server.json.RecordedEventJson;
import io.annals.store.ExpectedVersion;
import io.annals.store.StreamAppender;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Appends the events of an NDJSON export to any store through its append API. Each run of
 * consecutive events of one stream becomes one append that expects the version before its first
 * event, so streams keep their versions and an import into a store that already holds other
 * events of the same stream fails instead of mixing them. Event ids are kept, so running the same
 * import again writes nothing (appends are idempotent). Recording times are the target's.
 */
public final class NdjsonImport {

    private static final int MAX_BATCH = 1000;

    private NdjsonImport() {
    }

    public static TransferSummary importInto(StreamAppender store, BufferedReader in, TransferProgress progress) throws IOException {
        long started = System.nanoTime();
        ObjectMapper mapper = Json.strictMapper();
        var streams = new HashSet<StreamId>();
        var batch = new ArrayList<RecordedEvent>(MAX_BATCH);
        long events = 0;
        long bytes = 0;
        long lineNumber = 0;
        String line;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            bytes += line.getBytes(StandardCharsets.UTF_8).length + 1;
            if (line.isBlank()) {
                continue;
            }
            RecordedEvent event;
            try {
                event = RecordedEventJson.fromJson(mapper, line);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + lineNumber + ": " + e.getMessage(), e);
            }
            if (!batch.isEmpty() && (!continues(batch.getLast(), event) || batch.size() == MAX_BATCH)) {
                append(store, batch);
                events += batch.size();
                batch.clear();
                progress.advanced(events, bytes);
            }
            batch.add(event);
            streams.add(event.streamId());
        }
        if (!batch.isEmpty()) {
            append(store, batch);
            events += batch.size();
            progress.advanced(events, bytes);
        }
        return new TransferSummary(events, streams.size(), bytes, Duration.ofNanos(System.nanoTime() - started));
    }

    private static boolean continues(RecordedEvent previous, RecordedEvent next) {
        return previous.streamId().equals(next.streamId()) && next.version() == previous.version() + 1;
    }

    private static void append(StreamAppender store, List<RecordedEvent> batch) {
        RecordedEvent first = batch.getFirst();
        var data = new ArrayList<EventData>(batch.size());
        for (RecordedEvent event : batch) {
            data.add(new EventData(event.eventId(), event.type(), event.data(), event.metadata(), event.occurredAt()));
        }
        store.append(first.streamId(), ExpectedVersion.after(first.version() - 1), data);
    }
}
