package io.annals.store.sqlite;

import io.annals.event.EventData;
import io.annals.event.StreamId;
import io.annals.store.AppendResult;
import io.annals.store.ExpectedVersion;
import io.annals.store.jdbc.JdbcTransaction;
import io.annals.store.jsonlines.JsonLine;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** The {@link JdbcTransaction} handed to the caller's work; valid only while the work runs. */
final class WriterTransaction implements JdbcTransaction {

    private final StoreWriter writer;
    private final Connection guarded;
    private final AppendPreparation preparation;
    private boolean active = true;
    /** A storage failure inside the transaction: SQLite may have rolled it back by itself, so it must not commit. */
    private SQLException doomedBy;

    WriterTransaction(StoreWriter writer, Connection connection, AppendPreparation preparation) {
        this.writer = writer;
        this.guarded = GuardedConnection.wrap(connection, this::requireActive);
        this.preparation = preparation;
    }

    @Override
    public AppendResult append(StreamId streamId, ExpectedVersion expected, List<EventData> events) {
        requireActive();
        return appendOutcome(preparation.prepare(streamId, expected, events)).result();
    }

    /** An append already prepared, with whether it wrote anything; for imports. */
    AppendOutcome appendOutcome(WriteOp.Append op) {
        requireActive();
        try {
            return writer.appendInTransaction(op);
        } catch (SQLException e) {
            doomedBy = e;
            throw SqliteErrors.unavailable(writer.file(), "appending to " + op.streamId(), e);
        }
    }

    /** Imports a run of event lines whose events {@code op} holds; returns how many were written. */
    int importEvents(WriteOp.Append op, List<JsonLine.Event> lines) {
        requireActive();
        try {
            return writer.importEvents(op, lines);
        } catch (SQLException e) {
            doomedBy = e;
            throw SqliteErrors.unavailable(writer.file(), "importing into " + op.streamId(), e);
        }
    }

    void importDeletion(JsonLine.Deletion line) {
        requireActive();
        try {
            writer.importDeletion(line);
        } catch (SQLException e) {
            doomedBy = e;
            throw SqliteErrors.unavailable(writer.file(), "importing a deletion of " + line.streamId(), e);
        }
    }

    @Override
    public Connection connection() {
        requireActive();
        return guarded;
    }

    boolean isDoomed() {
        return doomedBy != null;
    }

    SQLException doomedBy() {
        return doomedBy;
    }

    void end() {
        active = false;
    }

    private void requireActive() {
        if (!active) {
            throw new IllegalStateException("the transaction has ended; use the JdbcTransaction only inside its callback");
        }
    }
}
