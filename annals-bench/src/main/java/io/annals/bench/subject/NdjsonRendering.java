package io.annals.bench.subject;

import io.annals.bench.workload.BenchEvent;
import io.annals.bench.workload.StreamChunk;
import java.time.Instant;
import java.util.List;

/** Writes events in the NDJSON export format both Annals stores import. */
public final class NdjsonRendering {

    private NdjsonRendering() {
    }

    /** One line per event; the benchmark's stream ids, types and JSON need no escaping. */
    public static String render(List<StreamChunk> chunks) {
        String recordedAt = Instant.now().toString();
        var out = new StringBuilder();
        for (StreamChunk chunk : chunks) {
            long version = chunk.firstVersion();
            for (BenchEvent event : chunk.events()) {
                out.append("{\"eventId\":\"").append(event.eventId())
                        .append("\",\"streamId\":\"").append(chunk.streamId())
                        .append("\",\"version\":").append(version++)
                        .append(",\"type\":\"").append(event.type())
                        .append("\",\"data\":").append(event.json())
                        .append(",\"metadata\":{},\"recordedAt\":\"").append(recordedAt)
                        .append("\",\"occurredAt\":\"").append(recordedAt).append("\"}\n");
            }
        }
        return out.toString();
    }
}
