package io.annals.store.sqlite;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.event.Tag;
import io.annals.snapshot.Snapshot;
import io.annals.store.AppendCondition;
import io.annals.store.AppendConditionFailedException;
import io.annals.store.AppendResult;
import io.annals.store.AppendResults;
import io.annals.store.CommandRecord;
import io.annals.store.CommandRecording;
import io.annals.store.RecordedCommand;
import io.annals.store.DuplicateEventException;
import io.annals.store.EventStoreException;
import io.annals.store.InvalidAppendException;
import io.annals.store.StreamDeletedException;
import io.annals.store.StreamWrite;
import io.annals.store.WrongExpectedVersionException;
import io.annals.store.jsonlines.ImportConflicts;
import io.annals.store.jsonlines.InvalidLineException;
import io.annals.store.jsonlines.JsonLine;
import io.annals.store.subscription.AppendSignal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The only code that writes the file. It runs on whichever thread holds the combiner's lock, so
 * it needs no locking of its own.
 *
 * <p>Expected versions are checked against the stream states it caches; whether an append's
 * event ids are new is decided by the stream's id fingerprints in memory ({@link KnownEventIds}),
 * and only a matching fingerprint sends the writer to the file to tell a retry from a
 * duplicate. Conflicts never touch the transaction, so each write of a group gets its own answer
 * and no write's conflict fails another. If a statement fails anyway, the transaction is rolled
 * back and the group runs once more, carefully (every id looked up in the file). Positions are
 * assigned here, in commit order, so the global order has no gaps.
 */
final class StoreWriter implements AutoCloseable {

    private static final int MAX_CACHED_STREAMS = 100_000;

    private static final String INSERT_EVENT = "INSERT INTO events "
            + "(position, stream_id, version, event_id, type, data, metadata, recorded_at, occurred_at, tags) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_TAG = "INSERT INTO event_tags (tag, position) VALUES (?, ?)";
    /** The stream's last indexed version; the writer knows the rest of the tail in memory. */
    private static final String STREAM_ROW = "SELECT (SELECT max(version) FROM stream_index WHERE stream_id = ?1), "
            + "d.deleted_through, d.tombstoned FROM (SELECT 1) LEFT JOIN stream_deletions d ON d.stream_id = ?1";
    private static final String STREAM_EVENT_IDS = "SELECT event_id FROM stream_events WHERE stream_id = ?";
    private static final String STREAM_NEWEST_FIRST =
            "SELECT event_id, version, position FROM stream_events WHERE stream_id = ? ORDER BY version DESC";
    private static final String STORED_RANGE = "SELECT event_id, type, data, metadata, recorded_at, occurred_at, tags "
            + "FROM stream_events WHERE stream_id = ? AND version BETWEEN ? AND ? ORDER BY version";
    private static final String VERSION_OF_ID = "SELECT version FROM stream_events WHERE stream_id = ? AND event_id = ?";
    private static final String UPSERT_DELETION = "INSERT INTO stream_deletions (stream_id, deleted_through, tombstoned) "
            + "VALUES (?, ?, ?) ON CONFLICT (stream_id) DO UPDATE SET "
            + "deleted_through = excluded.deleted_through, tombstoned = excluded.tombstoned";
    private static final String UPSERT_SNAPSHOT = "INSERT INTO snapshots (stream_id, version, state_type, state, taken_at) "
            + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, "
            + "state_type = excluded.state_type, state = excluded.state, taken_at = excluded.taken_at "
            + "WHERE excluded.version >= snapshots.version";

    private static final String SELECT_COMMAND =
            "SELECT fingerprint, outcome, results, recorded_at FROM command_outcomes WHERE command_id = ?";
    private static final String INSERT_COMMAND = "INSERT INTO command_outcomes "
            + "(command_id, fingerprint, outcome, results, recorded_at) VALUES (?, ?, ?, ?, ?)";
    private static final String DELETE_COMMAND = "DELETE FROM command_outcomes WHERE command_id = ?";
    private static final String EXPIRE_COMMANDS = "DELETE FROM command_outcomes WHERE recorded_at < ?";

    private final Path file;
    private final Connection connection;
    private final Clock clock;
    private final AppendSignal signal;
    private final AppendPreparation preparation;
    private final WalCheckpointer checkpointer;
    private final PreparedStatement insertEvent;
    private final PreparedStatement insertTag;
    private final StatementCache conditionStatements;
    private final StatementCache commandStatements;
    private boolean tagsPending;
    private final PreparedStatement streamRow;
    private final PreparedStatement streamEventIds;
    private final PreparedStatement streamNewestFirst;
    private final PreparedStatement storedRange;
    private final PreparedStatement versionOfId;
    private final PreparedStatement upsertDeletion;
    private final PreparedStatement upsertSnapshot;
    private final UnindexedTail unindexed;

    /** Committed stream states of recently used streams. */
    private final StreamRowCache committed = new StreamRowCache(MAX_CACHED_STREAMS / 2);
    private final KnownEventIds knownIds = new KnownEventIds(KnownEventIds.DEFAULT_BUDGET);
    private final TagPositions tagPositions = new TagPositions(TagPositions.DEFAULT_CAPACITY);
    /** States written by the open transaction. */
    private final Map<StreamId, StreamRow> pending = new HashMap<>();
    private long committedNextPosition;
    private long nextPosition;
    private boolean eventsWritten;
    private Instant now;
    private boolean closed;

    StoreWriter(Path file, Connection connection, Clock clock, AppendSignal signal, AppendPreparation preparation,
                WalCheckpointer checkpointer, UnindexedTail.FlushPolicy flushPolicy) throws SQLException {
        this.file = file;
        this.checkpointer = checkpointer;
        this.preparation = preparation;
        this.connection = connection;
        this.clock = clock;
        this.signal = signal;
        this.insertEvent = connection.prepareStatement(INSERT_EVENT);
        this.insertTag = connection.prepareStatement(INSERT_TAG);
        this.conditionStatements = new StatementCache(connection);
        this.commandStatements = new StatementCache(connection);
        this.streamRow = connection.prepareStatement(STREAM_ROW);
        this.streamEventIds = connection.prepareStatement(STREAM_EVENT_IDS);
        this.streamNewestFirst = connection.prepareStatement(STREAM_NEWEST_FIRST);
        this.storedRange = connection.prepareStatement(STORED_RANGE);
        this.versionOfId = connection.prepareStatement(VERSION_OF_ID);
        this.upsertDeletion = connection.prepareStatement(UPSERT_DELETION);
        this.upsertSnapshot = connection.prepareStatement(UPSERT_SNAPSHOT);
        this.unindexed = new UnindexedTail(connection, flushPolicy);
        resynchronize();
        connection.commit();
    }

    /** Forgets what the writer remembers and reads it back from the file. */
    private void resynchronize() throws SQLException {
        committed.clear();
        knownIds.clear();
        pending.clear();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT coalesce(max(position), 0) + 1 FROM events")) {
            rows.next();
            committedNextPosition = rows.getLong(1);
        }
        nextPosition = committedNextPosition;
        tagPositions.reset(committedNextPosition - 1);
        unindexed.reload();
    }

    Path file() {
        return file;
    }

    /** Marker: the optimistic run hit a failing statement; roll back and run carefully. */
    private static final class RunCarefully extends Exception {
        RunCarefully(SQLException cause) {
            super(cause);
        }
    }

    void runGroup(List<PendingWrite> group) {
        if (closed) {
            group.forEach(write -> write.fail(closedFailure()));
            return;
        }
        now = clock.instant();
        try {
            try {
                runAll(group, false);
            } catch (RunCarefully e) {
                rollback();
                runAll(group, true);
            }
            commit();
        } catch (RunCarefully e) {
            failAll(group, (SQLException) e.getCause());
            return;
        } catch (SQLException e) {
            failAll(group, e);
            return;
        } catch (RuntimeException | Error e) {
            rollback();
            group.forEach(write -> write.fail(e));
            return;
        }
        signalIfWritten();
        group.forEach(PendingWrite::deliverStaged);
    }

    private void failAll(List<PendingWrite> group, SQLException cause) {
        rollback();
        try {
            // a storage failure may have left the file other than the writer believes; believe the file
            resynchronize();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
        var failure = SqliteErrors.unavailable(file, "writing", cause);
        group.forEach(write -> write.fail(failure));
    }

    private void runAll(List<PendingWrite> group, boolean careful) throws RunCarefully {
        for (PendingWrite write : group) {
            try {
                write.stage(apply(write.op(), careful));
            } catch (EventStoreException e) {
                write.stageFailure(e);
            } catch (SQLException e) {
                throw new RunCarefully(e);
            }
        }
    }

    private Object apply(WriteOp op, boolean careful) throws SQLException {
        return switch (op) {
            case WriteOp.Append append -> append(append, careful);
            case WriteOp.AppendAll all -> append(all.append().writes(), all.append().condition(), null, careful);
            case WriteOp.Record record -> record(record, careful);
            case WriteOp.ExpireCommands expire -> expireCommands(expire.recordedBefore());
            case WriteOp.Delete delete -> delete(delete);
            case WriteOp.SaveSnapshot save -> saveSnapshot(save.snapshot());
            case WriteOp.FlushStreamIndex flush -> {
                unindexed.flush();
                yield Boolean.TRUE;
            }
            case WriteOp.Work work -> throw new IllegalStateException("transaction work never shares a transaction");
        };
    }

    /** Runs the caller's transaction work alone; it commits when the work returns and rolls back when it throws. */
    void runExclusive(PendingWrite write) {
        if (closed) {
            write.fail(closedFailure());
            return;
        }
        now = clock.instant();
        var transaction = new WriterTransaction(this, connection, preparation);
        Object result;
        try {
            result = ((WriteOp.Work) write.op()).work().run(transaction);
            transaction.end();
            if (transaction.isDoomed()) {
                rollback();
                write.fail(SqliteErrors.unavailable(file, "writing", transaction.doomedBy()));
                return;
            }
            if (!stillInTransaction()) {
                resynchronize();
                write.fail(new IllegalStateException("SQLite rolled the transaction back by itself after a storage "
                        + "error inside the work; let such exceptions escape. Statements after the error may have "
                        + "been committed on their own"));
                return;
            }
            commit();
        } catch (SQLException e) {
            transaction.end();
            rollback();
            write.fail(e);
            return;
        } catch (RuntimeException | Error e) {
            transaction.end();
            rollback();
            write.fail(e);
            return;
        }
        signalIfWritten();
        write.succeed(result);
    }

    /**
     * An append inside the caller's transaction. The fingerprints decide, as for combined
     * appends; a failing statement dooms the whole transaction, so there is no careful rerun.
     */
    AppendOutcome appendInTransaction(WriteOp.Append append) throws SQLException {
        return append(append, false);
    }

    private AppendOutcome append(WriteOp.Append op, boolean careful) throws SQLException {
        return append(List.of(new StreamWrite(op.streamId(), op.expected(), op.events())), Optional.empty(),
                op.recordedAt(), careful);
    }

    /**
     * The one definition of an append in this store: every stream is checked (tombstone, retried
     * ids, expected version) and then the condition, before any event is inserted, so that a
     * refusal leaves nothing of the append in the shared transaction.
     */
    private AppendOutcome append(List<StreamWrite> writes, Optional<AppendCondition> condition, Instant recordedAtOrNull,
                                 boolean careful) throws SQLException {
        var results = new AppendResult[writes.size()];
        var rows = new StreamRow[writes.size()];
        StreamWrite retried = null;
        boolean anyNew = false;
        for (int i = 0; i < writes.size(); i++) {
            StreamWrite write = writes.get(i);
            StreamRow row = row(write.streamId());
            if (row.tombstoned()) {
                throw new StreamDeletedException(write.streamId());
            }
            Map<UUID, long[]> stored = row.lastVersion() >= 0 && (careful || anyMayExist(write.streamId(), row, write.events()))
                    ? storedIds(write.streamId(), write.events()) : Map.of();
            if (stored.containsKey(write.events().getFirst().eventId())) {
                results[i] = earlierAppend(write.streamId(), write.events(), stored);
                retried = write;
                continue;
            }
            // a stored id refuses the append as a duplicate whatever the expected version
            for (EventData event : write.events()) {
                if (stored.containsKey(event.eventId())) {
                    throw new DuplicateEventException(write.streamId(), event.eventId());
                }
            }
            long visible = row.visibleVersion();
            if (!write.expected().isSatisfiedBy(visible)) {
                throw new WrongExpectedVersionException(write.streamId(), write.expected(), visible);
            }
            rows[i] = row;
            anyNew = true;
        }
        if (!anyNew) {
            return new AppendOutcome(new AppendResults(List.of(results)), false);
        }
        if (retried != null) {
            throw new DuplicateEventException(retried.streamId(), retried.events().getFirst().eventId());
        }
        if (condition.isPresent()) {
            checkCondition(condition.get());
        }
        long recordedNanos = EventColumns.nanos(recordedAtOrNull != null ? recordedAtOrNull : now);
        for (int i = 0; i < writes.size(); i++) {
            StreamWrite write = writes.get(i);
            long version = insertEvents(write.streamId(), rows[i].lastVersion(), write.events(), recordedNanos);
            pending.put(write.streamId(), rows[i].withLastVersion(version));
            remember(write.streamId(), rows[i], write.events());
            results[i] = new AppendResult(version, Position.of(nextPosition - 1));
        }
        eventsWritten = true;
        return new AppendOutcome(new AppendResults(List.of(results)), true);
    }

    /** Refuses the append when an event matching the condition was written after its position, by anyone before us. */
    private void checkCondition(AppendCondition condition) throws SQLException {
        Position after = condition.after();
        if (after.transaction() != 0 || after.sequence() >= nextPosition) {
            throw new InvalidAppendException("the condition's position " + after + " is after the last event of this store");
        }
        if (tagPositions.excludes(condition)) {
            return;
        }
        QueryStatements query = QueryStatements.of(condition.failIfEventsMatch());
        PreparedStatement statement = conditionStatements.prepare(query.firstSql());
        query.bind(statement, after.sequence(), Long.MAX_VALUE, 1);
        try (ResultSet rows = statement.executeQuery()) {
            rows.next();
            long first = rows.getLong(1);
            if (!rows.wasNull()) {
                throw new AppendConditionFailedException(condition, Position.of(first));
            }
        }
    }

    /** Inserts the events after {@code lastVersion}; returns the new last version. */
    private long insertEvents(StreamId streamId, long lastVersion, List<EventData> events, long recordedNanos)
            throws SQLException {
        long version = lastVersion;
        for (EventData event : events) {
            unindexed.written(streamId.value(), version + 1, nextPosition);
            insertEvent.setLong(1, nextPosition++);
            insertEvent.setString(2, streamId.value());
            insertEvent.setLong(3, ++version);
            insertEvent.setBytes(4, EventColumns.uuidBytes(event.eventId()));
            insertEvent.setString(5, event.type());
            insertEvent.setString(6, event.data());
            insertEvent.setString(7, EventColumns.metadataJson(event.metadata()));
            insertEvent.setLong(8, recordedNanos);
            insertEvent.setLong(9, event.occurredAt() == null ? recordedNanos : EventColumns.nanos(event.occurredAt()));
            insertEvent.setString(10, EventColumns.tagsText(event.tags()));
            for (Tag tag : event.tags()) {
                insertTag.setString(1, tag.toString());
                insertTag.setLong(2, nextPosition - 1);
                insertTag.addBatch();
                tagPositions.written(tag, nextPosition - 1);
                tagsPending = true;
            }
            if (events.size() == 1) {
                insertEvent.executeUpdate();
            } else {
                insertEvent.addBatch();
            }
        }
        if (events.size() > 1) {
            insertEvent.executeBatch();
        }
        if (tagsPending) {
            insertTag.executeBatch();
            tagsPending = false;
        }
        if (unindexed.flushNeeded()) {
            unindexed.flush();
        }
        return version;
    }

    /**
     * Imports one run of a chunk's event lines (one stream, consecutive versions, one recorded
     * time: {@code op} holds their events) inside the caller's transaction. Versions the stream
     * already has must hold exactly these events: they are skipped, so importing a file twice
     * writes nothing the second time. The rest must continue the stream, with ids it does not
     * have yet. Anything else is an {@link InvalidLineException}, and the caller rolls back.
     *
     * @return how many events were written
     */
    int importEvents(WriteOp.Append op, List<JsonLine.Event> lines) throws SQLException {
        StreamId streamId = op.streamId();
        List<EventData> events = op.events();
        JsonLine.Event first = lines.getFirst();
        StreamRow row = row(streamId);
        long last = row.lastVersion();
        if (first.version() > last + 1) {
            throw ImportConflicts.gap(first, last);
        }
        int stored = (int) Math.min(events.size(), last - first.version() + 1);
        if (stored > 0) {
            requireStored(streamId, lines.subList(0, stored));
        }
        if (stored == events.size()) {
            return 0;
        }
        if (row.tombstoned()) {
            throw ImportConflicts.tombstoned(lines.get(stored));
        }
        List<EventData> fresh = events.subList(stored, events.size());
        if (last >= 0 && anyMayExist(streamId, row, fresh)) {
            for (int i = 0; i < fresh.size(); i++) {
                if (storedVersionOf(streamId, fresh.get(i).eventId()) >= 0) {
                    throw ImportConflicts.idStored(lines.get(stored + i));
                }
            }
        }
        long version = insertEvents(streamId, last, fresh, EventColumns.nanos(op.recordedAt()));
        pending.put(streamId, row.withLastVersion(version));
        remember(streamId, row, fresh);
        eventsWritten = true;
        return fresh.size();
    }

    /** Refuses unless the stream holds exactly the lines' events at their versions. */
    private void requireStored(StreamId streamId, List<JsonLine.Event> lines) throws SQLException {
        long firstVersion = lines.getFirst().version();
        int i = 0;
        try (ResultSet rows = storedRange(streamId, firstVersion, lines.size())) {
            while (rows.next()) {
                JsonLine.Event line = lines.get(i++);
                var stored = new RecordedEvent(streamId, line.version(), Position.START, EventColumns.uuid(rows.getBytes(1)),
                        rows.getString(2), rows.getString(3), EventColumns.metadata(rows.getString(4)),
                        EventColumns.instant(rows.getLong(5)), EventColumns.instant(rows.getLong(6)),
                        EventColumns.tags(rows.getString(7)));
                String difference = line.differenceFrom(stored, Duration.ZERO);
                if (difference != null) {
                    throw ImportConflicts.changed(line, difference);
                }
            }
        }
        if (i != lines.size()) {
            // versions below the last one are never missing; a soft delete keeps the rows
            throw new IllegalStateException("stream " + streamId + " lacks versions below its last one");
        }
    }

    /**
     * Applies an imported deletion inside the caller's transaction: a soft one hides the
     * stream's versions up to its own (never fewer than hidden already), a hard one tombstones it.
     */
    void importDeletion(JsonLine.Deletion line) throws SQLException {
        StreamRow row = row(line.streamId());
        StreamRow deleted = switch (line.mode()) {
            case SOFT -> {
                if (line.throughVersion() > row.lastVersion()) {
                    throw ImportConflicts.hidesMissing(line, row.lastVersion());
                }
                yield new StreamRow(row.lastVersion(), Math.max(row.deletedThrough(), line.throughVersion()), row.tombstoned());
            }
            case HARD -> row.tombstone();
        };
        writeDeletion(line.streamId(), deleted);
    }

    /** The version at which the stream holds this event id, or -1. */
    private long storedVersionOf(StreamId streamId, UUID eventId) throws SQLException {
        versionOfId.setString(1, streamId.value());
        versionOfId.setBytes(2, EventColumns.uuidBytes(eventId));
        try (ResultSet rows = versionOfId.executeQuery()) {
            return rows.next() ? rows.getLong(1) : -1;
        }
    }

    /**
     * Whether any of the events' ids may already be in the stream, by the fingerprints of its ids
     * (read from the file when the stream is not in memory). False is certain; true needs a look.
     */
    private boolean anyMayExist(StreamId streamId, StreamRow row, List<EventData> events) throws SQLException {
        FingerprintSet ids = knownIds.get(streamId);
        if (ids == null) {
            ids = new FingerprintSet((int) Math.min(row.lastVersion() + 1, 1 << 16)); // grows as it fills
            streamEventIds.setString(1, streamId.value());
            try (ResultSet rows = streamEventIds.executeQuery()) {
                while (rows.next()) {
                    ids.add(EventColumns.uuid(rows.getBytes(1)));
                }
            }
            knownIds.put(streamId, ids);
        }
        for (EventData event : events) {
            if (ids.mayContain(event.eventId())) {
                return true;
            }
        }
        return false;
    }

    /** Adds the ids just written to the stream's fingerprints; a stream written for the first time gets a set. */
    private void remember(StreamId streamId, StreamRow rowBefore, List<EventData> events) {
        FingerprintSet ids = knownIds.get(streamId);
        if (ids == null) {
            if (rowBefore.lastVersion() >= 0) {
                return; // not in memory: it is read in full from the file when next needed
            }
            ids = new FingerprintSet(events.size());
            knownIds.put(streamId, ids);
        }
        int before = ids.size();
        for (EventData event : events) {
            ids.add(event.eventId());
        }
        knownIds.grew(streamId, ids.size() - before);
    }

    /**
     * Where the stream holds the ids of {@code events}: version and position by id. Reads the
     * stream newest first, since a retry usually repeats a recent append, until every id is found.
     */
    private Map<UUID, long[]> storedIds(StreamId streamId, List<EventData> events) throws SQLException {
        var wanted = new HashSet<UUID>(events.size() * 2);
        events.forEach(event -> wanted.add(event.eventId()));
        var found = new HashMap<UUID, long[]>();
        streamNewestFirst.setString(1, streamId.value());
        try (ResultSet rows = streamNewestFirst.executeQuery()) {
            while (found.size() < wanted.size() && rows.next()) {
                UUID id = EventColumns.uuid(rows.getBytes(1));
                if (wanted.contains(id)) {
                    found.put(id, new long[]{rows.getLong(2), rows.getLong(3)});
                }
            }
        }
        return found;
    }

    /**
     * The result of the earlier append that {@code events}, whose first id the stream holds,
     * repeat; {@link DuplicateEventException} when they are not that exact repeat (the same ids
     * in the same order from the first on, with the same types and data).
     */
    private AppendResult earlierAppend(StreamId streamId, List<EventData> events, Map<UUID, long[]> stored)
            throws SQLException {
        long[] first = stored.get(events.getFirst().eventId());
        for (int i = 0; i < events.size(); i++) {
            long[] at = stored.get(events.get(i).eventId());
            if (at == null || at[0] != first[0] + i) {
                throw new DuplicateEventException(streamId, events.getFirst().eventId());
            }
        }
        requireSameEvents(streamId, first[0], events);
        long[] last = stored.get(events.getLast().eventId());
        return new AppendResult(last[0], Position.of(last[1]), true);
    }

    /** The stored events of {@code count} versions from {@code firstVersion} on, oldest first. */
    private ResultSet storedRange(StreamId streamId, long firstVersion, int count) throws SQLException {
        storedRange.setString(1, streamId.value());
        storedRange.setLong(2, firstVersion);
        storedRange.setLong(3, firstVersion + count - 1);
        return storedRange.executeQuery();
    }

    /** Refuses a repeat whose stored events, from {@code firstVersion} on, differ in type or data. */
    private void requireSameEvents(StreamId streamId, long firstVersion, List<EventData> events) throws SQLException {
        try (ResultSet rows = storedRange(streamId, firstVersion, events.size())) {
            for (int i = 0; rows.next(); i++) {
                EventData event = events.get(i);
                if (!rows.getString(2).equals(event.type()) || !rows.getString(3).equals(event.data())) {
                    throw DuplicateEventException.differentEvent(streamId, event.eventId());
                }
            }
        }
    }

    /**
     * A command's record with its append: an unexpired record of the id answers instead, before
     * anything else is checked; an expired one is replaced once the append has passed its checks.
     */
    private CommandRecording record(WriteOp.Record op, boolean careful) throws SQLException {
        CommandRecord record = op.record();
        byte[] id = EventColumns.uuidBytes(record.commandId());
        PreparedStatement select = commandStatements.prepare(SELECT_COMMAND);
        select.setBytes(1, id);
        boolean expired = false;
        try (ResultSet rows = select.executeQuery()) {
            if (rows.next()) {
                long recordedAt = rows.getLong(4);
                if (!EventColumns.instant(recordedAt).isBefore(op.expiredBefore())) {
                    String results = rows.getString(3);
                    return new CommandRecording.AlreadyRecorded(new RecordedCommand(
                            new CommandRecord(record.commandId(), rows.getString(1), rows.getString(2), EventColumns.instant(recordedAt)),
                            Optional.ofNullable(results).map(RecordedCommand::parseResults)));
                }
                expired = true;
            }
        }
        Optional<AppendResults> results = Optional.empty();
        if (op.append().isPresent()) {
            var append = op.append().get();
            AppendOutcome outcome = append(append.writes(), append.condition(), null, careful);
            if (!outcome.written()) {
                // the ids derive from the command id: stored ones mean an expired record's command
                StreamWrite first = append.writes().getFirst();
                throw new DuplicateEventException(first.streamId(), first.events().getFirst().eventId());
            }
            results = Optional.of(outcome.results());
        }
        if (expired) {
            PreparedStatement delete = commandStatements.prepare(DELETE_COMMAND);
            delete.setBytes(1, id);
            delete.executeUpdate();
        }
        PreparedStatement insert = commandStatements.prepare(INSERT_COMMAND);
        insert.setBytes(1, id);
        insert.setString(2, record.fingerprint());
        insert.setString(3, record.outcome());
        insert.setString(4, results.map(RecordedCommand::resultsText).orElse(null));
        insert.setLong(5, EventColumns.nanos(record.recordedAt()));
        insert.executeUpdate();
        return new CommandRecording.Written(new RecordedCommand(record, results));
    }

    private Long expireCommands(Instant recordedBefore) throws SQLException {
        if (recordedBefore.isBefore(EventColumns.MIN_INSTANT)) {
            return 0L;
        }
        PreparedStatement expire = commandStatements.prepare(EXPIRE_COMMANDS);
        expire.setLong(1, recordedBefore.isAfter(EventColumns.MAX_INSTANT) ? Long.MAX_VALUE : EventColumns.nanos(recordedBefore));
        return (long) expire.executeUpdate();
    }

    private Object delete(WriteOp.Delete op) throws SQLException {
        StreamRow row = row(op.streamId());
        if (row.tombstoned()) {
            throw new StreamDeletedException(op.streamId());
        }
        long visible = row.visibleVersion();
        if (!op.expected().isSatisfiedBy(visible)) {
            throw new WrongExpectedVersionException(op.streamId(), op.expected(), visible);
        }
        StreamRow deleted = switch (op.mode()) {
            case SOFT -> row.softDeleted();
            case HARD -> row.tombstone();
        };
        writeDeletion(op.streamId(), deleted);
        return Boolean.TRUE;
    }

    private void writeDeletion(StreamId streamId, StreamRow deleted) throws SQLException {
        upsertDeletion.setString(1, streamId.value());
        upsertDeletion.setLong(2, deleted.deletedThrough());
        upsertDeletion.setInt(3, deleted.tombstoned() ? 1 : 0);
        upsertDeletion.executeUpdate();
        pending.put(streamId, deleted);
    }

    private Object saveSnapshot(Snapshot snapshot) throws SQLException {
        upsertSnapshot.setString(1, snapshot.streamId().value());
        upsertSnapshot.setLong(2, snapshot.version());
        upsertSnapshot.setString(3, snapshot.stateType());
        upsertSnapshot.setString(4, snapshot.state());
        upsertSnapshot.setLong(5, EventColumns.nanos(snapshot.takenAt()));
        upsertSnapshot.executeUpdate();
        return Boolean.TRUE;
    }

    private StreamRow row(StreamId streamId) throws SQLException {
        StreamRow row = pending.get(streamId);
        if (row != null) {
            return row;
        }
        row = committed.get(streamId);
        if (row != null) {
            return row;
        }
        // streams this transaction wrote are in `pending`, so what the file says here is committed
        streamRow.setString(1, streamId.value());
        try (ResultSet rows = streamRow.executeQuery()) {
            rows.next();
            long last = rows.getLong(1);
            if (rows.wasNull()) {
                last = -1;
            }
            last = Math.max(last, unindexed.lastVersionOf(streamId.value()));
            long deletedThrough = rows.getLong(2);
            if (rows.wasNull()) {
                deletedThrough = -1;
            }
            row = new StreamRow(last, deletedThrough, rows.getInt(3) != 0);
        }
        committed.put(streamId, row);
        return row;
    }

    /** Whether events have waited for the stream index longer than its flush policy allows; any thread. */
    boolean streamIndexOverdue(long nowNanos) {
        return unindexed.overdue(nowNanos);
    }

    private void commit() throws SQLException {
        if (unindexed.flushDue(System.nanoTime())) {
            unindexed.flush();
        }
        connection.commit();
        unindexed.committed();
        checkpointer.committed();
        pending.forEach(committed::put);
        pending.clear();
        committedNextPosition = nextPosition;
    }

    private void rollback() {
        pending.clear();
        nextPosition = committedNextPosition;
        eventsWritten = false;
        unindexed.rolledBack();
        try {
            insertEvent.clearBatch();
            insertTag.clearBatch();
            tagsPending = false;
            connection.rollback();
            return;
        } catch (SQLException e) {
            // SQLite rolled back by itself (disk full, I/O error), so ROLLBACK failed and the driver did not
            // open the next transaction: open it here, or the next statements would each commit on their own
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("BEGIN");
        } catch (SQLException ignored) {
            // already in a transaction after all; nothing to repair
        }
    }

    /**
     * Whether the transaction the writer opened is still open. SQLite ends it by itself after some
     * storage errors; BEGIN fails exactly when a transaction is open, and otherwise opens one.
     */
    private boolean stillInTransaction() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("BEGIN");
            return false;
        } catch (SQLException e) {
            return true;
        }
    }

    private void signalIfWritten() {
        if (eventsWritten) {
            eventsWritten = false;
            signal.signal();
        }
    }

    private RuntimeException closedFailure() {
        return SqliteErrors.closed(file);
    }

    @Override
    public void close() {
        closed = true;
        conditionStatements.close();
        commandStatements.close();
        for (PreparedStatement statement : List.of(insertEvent, insertTag, streamRow, streamEventIds, streamNewestFirst, storedRange, versionOfId,
                upsertDeletion, upsertSnapshot)) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        unindexed.close();
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // nothing was pending
        }
        StoreFile.closeQuietly(connection);
    }
}
