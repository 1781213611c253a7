package io.annals.bench.subject;

import io.annals.bench.workload.BenchEvent;
import io.annals.bench.workload.StreamChunk;
import io.annals.event.Position;
import java.time.Instant;
import java.util.List;

/**
 * Writes events as an export of an Annals store would hold them (docs/json-lines-format.md): each
 * stream chunk one append with its own recorded time, a microsecond after the chunk before, and
 * every event with the position it had.
 */
public final class JsonLinesRendering {

    private JsonLinesRendering() {
    }

    /** One line per event; the benchmark's stream ids, types and JSON need no escaping. */
    public static String render(List<StreamChunk> chunks) {
        Instant start = Instant.now();
        var out = new StringBuilder();
        long sequence = 0;
        for (int c = 0; c < chunks.size(); c++) {
            StreamChunk chunk = chunks.get(c);
            String recordedAt = start.plusNanos(c * 1_000L).toString();
            long version = chunk.firstVersion();
            for (BenchEvent event : chunk.events()) {
                out.append("{\"eventId\":\"").append(event.eventId())
                        .append("\",\"streamId\":\"").append(chunk.streamId())
                        .append("\",\"version\":").append(version++)
                        .append(",\"position\":\"").append(Position.of(++sequence))
                        .append("\",\"type\":\"").append(event.type())
                        .append("\",\"data\":").append(event.json())
                        .append(",\"metadata\":{},\"recordedAt\":\"").append(recordedAt)
                        .append("\",\"occurredAt\":\"").append(recordedAt).append("\"}\n");
            }
        }
        return out.toString();
    }
}
