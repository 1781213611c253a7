package io.annals.store.postgres;

import io.annals.store.DuplicateEventException;
import io.annals.store.EventStoreException;
import io.annals.store.InvalidAppendException;
import io.annals.store.subscription.AppendSignal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Writes one batch of appends in one auto-committed call and completes each request's future
 * with its own outcome. When the batch as a whole fails for a reason that belongs to one request
 * (an event id repeated out of order, data PostgreSQL rejects), every request is written again on
 * its own, so that one bad request never fails the others.
 */
final class BatchWriter {

    private final DataSource dataSource;
    private final AppendCall call;
    private final AppendSignal signal;
    private final CommitWatermark watermark;
    private final CommitNotifier notifier;
    private final String findStoredSql;
    private final AtomicInteger inFlight = new AtomicInteger();

    BatchWriter(DataSource dataSource, SchemaName schema, AppendSignal signal, CommitWatermark watermark,
                CommitNotifier notifier) {
        this.dataSource = dataSource;
        this.watermark = watermark;
        this.notifier = notifier;
        this.call = new AppendCall(schema);
        this.signal = signal;
        this.findStoredSql = "SELECT x.id FROM unnest(?::uuid[]) WITH ORDINALITY AS x(id, ord) JOIN "
                + schema.qualify("events") + " e ON e.stream_id = ? AND e.event_id = x.id ORDER BY x.ord LIMIT 1";
    }

    void write(List<AppendRequest> batch) {
        boolean alone = inFlight.incrementAndGet() == 1;
        try {
            write(batch, alone && batch.size() == 1);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /**
     * With {@code notifyInline}, the notification goes out in the append's own transaction, which
     * saves the notifier's extra transaction when the store is otherwise idle; it would serialise
     * concurrent commits, so it is used only while no other batch is in flight.
     */
    private void write(List<AppendRequest> batch, boolean notifyInline) {
        try (Connection connection = dataSource.getConnection()) {
            List<AppendOutcome> outcomes = call.execute(connection, batch,
                    notifyInline && notifier.othersListening() ? notifier.payloadPrefix() : null);
            long highestStamp = -1;
            for (int i = 0; i < batch.size(); i++) {
                AppendOutcome outcome = outcomes.get(i);
                if (outcome instanceof AppendOutcome.Written(var result)) {
                    highestStamp = Math.max(highestStamp, result.position().transaction());
                }
            }
            if (highestStamp >= 0) {
                // before the callers return, so that what they appended is known to be readable
                watermark.advance(highestStamp);
                if (!notifyInline) {
                    notifier.committed(highestStamp);
                }
                signal.signal();
            }
            for (int i = 0; i < batch.size(); i++) {
                outcomes.get(i).complete(batch.get(i));
            }
        } catch (SQLException e) {
            if (batch.size() > 1 && !SqlFailures.isConnectionFailure(e)) {
                batch.forEach(request -> write(List.of(request), false));
                return;
            }
            batch.forEach(request -> request.result().completeExceptionally(failure(request, e)));
        } catch (RuntimeException | Error e) {
            batch.forEach(request -> request.result().completeExceptionally(e));
            throw e;
        }
    }

    private EventStoreException failure(AppendRequest request, SQLException e) {
        if (SqlFailures.isUniqueViolation(e, SqlFailures.EVENT_ID_CONSTRAINT)) {
            UUID stored = findStored(request);
            if (stored != null) {
                return new DuplicateEventException(request.streamId(), stored);
            }
        }
        if (e.getSQLState() != null && e.getSQLState().startsWith("22")) {
            return new InvalidAppendException("PostgreSQL refused the events of stream " + request.streamId()
                    + ": " + e.getMessage());
        }
        return SqlFailures.unavailable("append to " + request.streamId()
                + " failed; it was written completely or not at all, retry with the same event ids", e);
    }

    /**
     * The request's first event id that the stream holds (committed), or null: for an insert
     * that failed on the unique index, which the append function leaves to catch an id held
     * elsewhere than at a written request's start.
     */
    UUID findStored(AppendRequest request) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(findStoredSql)) {
            statement.setArray(1, connection.createArrayOf("uuid",
                    request.events().stream().map(event -> event.eventId()).toArray()));
            statement.setString(2, request.streamId().value());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getObject(1, UUID.class) : null;
            }
        } catch (SQLException e) {
            return null;
        }
    }
}
