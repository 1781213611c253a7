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

    /** The function's encoding: a version, or -1 no stream, -2 any, -3 stream exists. */
    long expectedCode() {
        return switch (expected) {
            case ExpectedVersion.Exact(long version) -> version;
            case ExpectedVersion.NoStream n -> -1;
            case ExpectedVersion.Any a -> -2;
            case ExpectedVersion.StreamExists s -> -3;
        };
    }
}
