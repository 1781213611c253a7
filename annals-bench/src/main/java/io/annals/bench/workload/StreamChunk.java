package io.annals.bench.workload;

import java.util.List;

/** Events for one stream starting at {@code firstVersion}: the unit of bulk imports and fills. */
public record StreamChunk(String streamId, long firstVersion, List<BenchEvent> events) {

    public StreamChunk {
        events = List.copyOf(events);
    }
}
