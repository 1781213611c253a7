package io.annals.store.postgres;

import io.annals.event.EventData;
import io.annals.event.StreamId;
import io.annals.store.AppendResult;
import io.annals.store.ExpectedVersion;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One caller's append, waiting to be written, possibly together with others. */
record AppendRequest(StreamId streamId, ExpectedVersion expected, List<EventData> events,
                     CompletableFuture<AppendResult> result) {

    AppendRequest(StreamId streamId, ExpectedVersion expected, List<EventData> events) {
        this(streamId, expected, events, new CompletableFuture<>());
    }

    /** The expectation's label in the schema's {@code expected_version} type (migration V4). */
    String expectedLabel() {
        return label(expected);
    }

    static String label(ExpectedVersion expected) {
        return switch (expected) {
            case ExpectedVersion.Any a -> "any";
            case ExpectedVersion.NoStream n -> "no-stream";
            case ExpectedVersion.StreamExists s -> "stream-exists";
            case ExpectedVersion.Exact e -> "exact";
        };
    }

    /** The version an {@code exact} expectation names; null for the others. */
    static Long exactVersion(ExpectedVersion expected) {
        return expected instanceof ExpectedVersion.Exact(long version) ? version : null;
    }
}
