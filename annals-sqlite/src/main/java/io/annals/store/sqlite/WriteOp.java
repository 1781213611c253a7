package io.annals.store.sqlite;

import io.annals.event.EventData;
import io.annals.event.StreamId;
import io.annals.snapshot.Snapshot;
import io.annals.store.DeleteMode;
import io.annals.store.ExpectedVersion;
import io.annals.store.jdbc.JdbcTransactionWork;

import java.time.Instant;
import java.util.List;

/** One write waiting for the writer connection. */
sealed interface WriteOp {

    /** Whether it needs a transaction of its own instead of sharing one with other writes. */
    default boolean exclusive() {
        return false;
    }

    /** @param recordedAt the recorded time to keep (imports), or null to record the commit time */
    record Append(StreamId streamId, ExpectedVersion expected, List<EventData> events, Instant recordedAt)
            implements WriteOp {
    }

    /** An append to one or several streams, under an optional condition across streams. */
    record AppendAll(io.annals.store.Append append) implements WriteOp {
    }

    /** A command's record and, when present, its append, in one transaction (ADR 0009). */
    record Record(io.annals.store.CommandRecord record, java.util.Optional<io.annals.store.Append> append,
                  Instant expiredBefore) implements WriteOp {
    }

    /** Deletes the command records recorded before a time. */
    record ExpireCommands(Instant recordedBefore) implements WriteOp {
    }

    record Delete(StreamId streamId, ExpectedVersion expected, DeleteMode mode) implements WriteOp {
    }

    record SaveSnapshot(Snapshot snapshot) implements WriteOp {
    }

    /** Moves the events written since the stream index's mark into it (see {@link UnindexedTail}). */
    record FlushStreamIndex() implements WriteOp {
    }

    /** The caller's own work, which may fail and roll back, so it never shares a transaction. */
    record Work(JdbcTransactionWork<?> work) implements WriteOp {
        @Override
        public boolean exclusive() {
            return true;
        }
    }
}
