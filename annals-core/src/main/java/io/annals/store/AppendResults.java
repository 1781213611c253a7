package io.annals.store;

import io.annals.event.Position;
import java.util.List;
import java.util.Objects;

/**
 * What a successful {@link Append} tells the writer: one {@link AppendResult} per stream, in the
 * order of the append's writes.
 */
public record AppendResults(List<AppendResult> streams) {

    public AppendResults {
        streams = List.copyOf(Objects.requireNonNull(streams, "streams"));
        if (streams.isEmpty()) {
            throw new IllegalArgumentException("an append writes to at least one stream");
        }
    }

    /** The global position of the last event written. */
    public Position position() {
        Position last = streams.getFirst().position();
        for (AppendResult result : streams) {
            if (result.position().isAfter(last)) {
                last = result.position();
            }
        }
        return last;
    }
}
