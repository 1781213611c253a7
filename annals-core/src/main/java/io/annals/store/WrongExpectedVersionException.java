package io.annals.store;

import io.annals.event.StreamId;

/** The stream was not in the state the writer expected; nothing was written. */
public final class WrongExpectedVersionException extends EventStoreException {

    private final StreamId streamId;
    private final ExpectedVersion expected;
    private final long actualVersion;

    public WrongExpectedVersionException(StreamId streamId, ExpectedVersion expected, long actualVersion) {
        super("stream " + streamId + ": expected version " + expected + " but the stream is at "
                + (actualVersion < 0 ? "no-stream" : Long.toString(actualVersion)));
        this.streamId = streamId;
        this.expected = expected;
        this.actualVersion = actualVersion;
    }

    public StreamId streamId() {
        return streamId;
    }

    public ExpectedVersion expected() {
        return expected;
    }

    /** The version of the stream's last visible event, or -1 when the stream does not exist. */
    public long actualVersion() {
        return actualVersion;
    }

    /** A conflict is resolved by reloading and deciding again, so the caller may retry. */
    @Override
    public boolean isRetriable() {
        return true;
    }
}
