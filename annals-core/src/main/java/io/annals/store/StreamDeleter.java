package io.annals.store;

import io.annals.event.StreamId;

public interface StreamDeleter {

    /**
     * Deletes a stream. Its events stay in the global order (the log is an audit trail); what
     * changes is what stream reads and appends see. See {@link DeleteMode}.
     *
     * @throws WrongExpectedVersionException when {@code expected} does not hold
     * @throws StreamDeletedException        when the stream was already hard-deleted
     */
    void delete(StreamId streamId, ExpectedVersion expected, DeleteMode mode);
}
