package io.annals.store.inmemory;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.snapshot.SnapshotStore;
import io.annals.snapshot.inmemory.InMemorySnapshotStore;
import io.annals.store.Append;
import io.annals.store.AppendCondition;
import io.annals.store.AppendConditionFailedException;
import io.annals.store.AppendLimits;
import io.annals.store.AppendResult;
import io.annals.store.AppendResults;
import io.annals.store.ConditionalAppender;
import io.annals.store.AppendValidation;
import io.annals.store.CommandLog;
import io.annals.store.CommandRecord;
import io.annals.store.CommandRecording;
import io.annals.store.RecordedCommand;
import io.annals.store.DeleteMode;
import io.annals.store.DuplicateEventException;
import io.annals.store.EventBatchHandler;
import io.annals.store.EventFilter;
import io.annals.store.EventQuery;
import io.annals.store.EventStore;
import io.annals.store.EventStoreClosedException;
import io.annals.store.ExpectedVersion;
import io.annals.store.InvalidAppendException;
import io.annals.store.QueryRead;
import io.annals.store.QueryReader;
import io.annals.store.QuerySubscriptions;
import io.annals.store.ReadDirection;
import io.annals.store.StreamDeletedException;
import io.annals.store.StreamState;
import io.annals.store.StreamWrite;
import io.annals.store.Subscription;
import io.annals.store.WrongExpectedVersionException;
import io.annals.store.jsonlines.ChunkedImport;
import io.annals.store.jsonlines.ExportResult;
import io.annals.store.jsonlines.ImportConflicts;
import io.annals.store.jsonlines.ImportResult;
import io.annals.store.jsonlines.JsonLine;
import io.annals.store.jsonlines.JsonLinesTransfer;
import io.annals.store.jsonlines.JsonLinesWriter;
import io.annals.store.subscription.AppendSignal;
import io.annals.store.subscription.StoreSubscriptions;
import io.annals.store.subscription.SubscriptionReads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A complete, thread-safe event store in memory, for unit tests and test fixtures. It keeps
 * its events in a {@link Memory}, which a new store can take over once this one is closed.
 */
public final class InMemoryEventStore implements EventStore, ConditionalAppender, QueryReader, QuerySubscriptions, JsonLinesTransfer, CommandLog {

    private static final int SUBSCRIPTION_BATCH = 256;
    private static final int IMPORT_CHUNK_LINES = 10_000;

    private final Memory memory;
    private final ReentrantReadWriteLock lock;
    private final List<RecordedEvent> all;
    private final Map<StreamId, StreamLog> streams;
    private final Map<UUID, RecordedCommand> commands;
    private final AppendSignal appended = new AppendSignal();
    private final StoreSubscriptions subscriptions = new StoreSubscriptions("annals",
            SubscriptionReads.of(this, this::lastPosition), appended, SUBSCRIPTION_BATCH, Duration.ofSeconds(1));
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AppendLimits limits;
    private final Clock clock;
    private final InMemorySnapshotStore snapshots = new InMemorySnapshotStore();

    public InMemoryEventStore() {
        this(AppendLimits.DEFAULT, Clock.systemUTC());
    }

    public InMemoryEventStore(AppendLimits limits, Clock clock) {
        this(new Memory(), limits, clock);
    }

    /**
     * A store on {@code memory}, which keeps what earlier, closed stores on it wrote, as a store
     * file keeps its events across a restart.
     *
     * @throws IllegalStateException when another store on the same memory is still open
     */
    public InMemoryEventStore(Memory memory, AppendLimits limits, Clock clock) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (!memory.inUse.compareAndSet(false, true)) {
            throw new IllegalStateException("another in-memory store on this memory is still open");
        }
        this.memory = memory;
        this.lock = memory.lock;
        this.all = memory.all;
        this.streams = memory.streams;
        this.commands = memory.commands;
    }

    /**
     * What an in-memory store holds: every event, every stream's state and the command records. It outlives the store,
     * so that a test can close a store and open another on the same memory, as it would reopen a
     * file; one store at a time may be open on it.
     */
    public static final class Memory {
        private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        private final List<RecordedEvent> all = new ArrayList<>();
        private final Map<StreamId, StreamLog> streams = new HashMap<>();
        private final Map<UUID, RecordedCommand> commands = new HashMap<>();
        private final AtomicBoolean inUse = new AtomicBoolean();
    }

    /** The memory this store keeps its events in; open a new store on it once this one is closed. */
    public Memory memory() {
        return memory;
    }

    /** Snapshots kept beside the events, as long as this store lives. */
    public SnapshotStore snapshots() {
        return snapshots;
    }

    private static final class StreamLog {
        final List<RecordedEvent> events = new ArrayList<>();
        final Map<UUID, RecordedEvent> byEventId = new HashMap<>();
        long deletedThrough = -1;
        boolean tombstoned;

        /** What an import may have to roll back to. */
        record Mark(StreamLog stream, int events, long deletedThrough, boolean tombstoned) {
            void restore() {
                while (stream.events.size() > events) {
                    stream.byEventId.remove(stream.events.removeLast().eventId());
                }
                stream.deletedThrough = deletedThrough;
                stream.tombstoned = tombstoned;
            }
        }

        Mark mark() {
            return new Mark(this, events.size(), deletedThrough, tombstoned);
        }

        long lastVersion() {
            return events.isEmpty() ? -1 : events.getLast().version();
        }

        long visibleVersion() {
            long last = lastVersion();
            return last > deletedThrough ? last : -1;
        }
    }

    @Override
    public AppendResult append(StreamId streamId, ExpectedVersion expected, List<EventData> events) {
        return append(Append.to(streamId, expected, events)).streams().getFirst();
    }

    @Override
    public AppendResults append(Append append) {
        requireOpen();
        validate(append);
        AppendResults results;
        lock.writeLock().lock();
        try {
            results = write(append, true);
        } finally {
            lock.writeLock().unlock();
        }
        appended.signal();
        return results;
    }

    @Override
    public CommandRecording record(CommandRecord record, Optional<Append> append, Instant expiredBefore) {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(expiredBefore, "expiredBefore");
        requireOpen();
        append.ifPresent(this::validate);
        CommandRecording recording;
        lock.writeLock().lock();
        try {
            RecordedCommand earlier = commands.get(record.commandId());
            if (earlier != null && !earlier.record().recordedAt().isBefore(expiredBefore)) {
                return new CommandRecording.AlreadyRecorded(earlier);
            }
            var recorded = new RecordedCommand(record, append.map(a -> write(a, false)));
            commands.put(record.commandId(), recorded);
            recording = new CommandRecording.Written(recorded);
        } finally {
            lock.writeLock().unlock();
        }
        appended.signal();
        return recording;
    }

    @Override
    public long expire(Instant recordedBefore) {
        requireOpen();
        lock.writeLock().lock();
        try {
            int before = commands.size();
            commands.values().removeIf(recorded -> recorded.record().recordedAt().isBefore(recordedBefore));
            return before - commands.size();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void validate(Append append) {
        for (StreamWrite write : append.writes()) {
            AppendValidation.validate(write.streamId(), write.expected(), write.events(), limits);
        }
    }

    /** Checks and writes an append, or answers a retry of an earlier one when allowed; the caller holds the write lock. */
    private AppendResults write(Append append, boolean retryAllowed) {
        AppendResults retried = checkWrites(append);
        if (retried != null) {
            if (!retryAllowed) {
                StreamWrite first = append.writes().getFirst();
                throw new DuplicateEventException(first.streamId(), first.events().getFirst().eventId());
            }
            return retried;
        }
        append.condition().ifPresent(this::checkCondition);
        Instant now = clock.instant();
        var written = new ArrayList<AppendResult>(append.writes().size());
        for (StreamWrite write : append.writes()) {
            StreamLog stream = streams.computeIfAbsent(write.streamId(), id -> new StreamLog());
            long version = stream.lastVersion();
            RecordedEvent last = null;
            for (EventData event : write.events()) {
                last = new RecordedEvent(write.streamId(), ++version, Position.of(all.size() + 1L), event.eventId(),
                        event.type(), event.data(), event.metadata(), now,
                        event.occurredAt() == null ? now : event.occurredAt(), event.tags());
                all.add(last);
                stream.events.add(last);
                stream.byEventId.put(last.eventId(), last);
            }
            written.add(new AppendResult(last.version(), last.position()));
        }
        return new AppendResults(written);
    }

    /**
     * Checks every stream of an append before anything is written. Returns the earlier results
     * when the whole append repeats an earlier one, null when it is new.
     */
    private AppendResults checkWrites(Append append) {
        var earlierResults = new ArrayList<AppendResult>();
        StreamWrite newWrite = null;
        for (StreamWrite write : append.writes()) {
            StreamLog stream = streams.get(write.streamId());
            if (stream != null && stream.tombstoned) {
                throw new StreamDeletedException(write.streamId());
            }
            AppendResult earlier = stream == null ? null : earlierAppend(write.streamId(), stream, write.events());
            if (earlier != null) {
                earlierResults.add(earlier);
                continue;
            }
            newWrite = write;
            // a stored id refuses the append as a duplicate whatever the expected version
            for (EventData event : write.events()) {
                if (stream != null && stream.byEventId.containsKey(event.eventId())) {
                    throw new DuplicateEventException(write.streamId(), event.eventId());
                }
            }
            long visible = stream == null ? -1 : stream.visibleVersion();
            if (!write.expected().isSatisfiedBy(visible)) {
                throw new WrongExpectedVersionException(write.streamId(), write.expected(), visible);
            }
        }
        if (newWrite == null) {
            return new AppendResults(earlierResults);
        }
        if (!earlierResults.isEmpty()) {
            StreamWrite repeated = append.writes().stream()
                    .filter(write -> streams.containsKey(write.streamId())
                            && streams.get(write.streamId()).byEventId.containsKey(write.events().getFirst().eventId()))
                    .findFirst().orElseThrow();
            throw new DuplicateEventException(repeated.streamId(), repeated.events().getFirst().eventId());
        }
        return null;
    }

    private void checkCondition(AppendCondition condition) {
        Position after = condition.after();
        if (after.transaction() != 0 || after.sequence() > all.size()) {
            throw new InvalidAppendException("the condition's position " + after + " is after the last event of this store");
        }
        for (int i = (int) after.sequence(); i < all.size(); i++) {
            if (condition.failIfEventsMatch().matches(all.get(i))) {
                throw new AppendConditionFailedException(condition, all.get(i).position());
            }
        }
    }

    @Override
    public QueryRead read(EventQuery query, Position after, int limit) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(after, "after");
        requireOpen();
        requirePositive(limit);
        lock.readLock().lock();
        try {
            var matches = new ArrayList<RecordedEvent>(Math.min(limit, 256));
            int i = (int) Math.min(after.sequence(), all.size());
            for (; i < all.size() && matches.size() < limit; i++) {
                if (query.matches(all.get(i))) {
                    matches.add(all.get(i));
                }
            }
            Position scanned = i == 0 ? Position.START : all.get(i - 1).position();
            return new QueryRead(matches, scanned.isAfter(after) ? scanned : after);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The result of the earlier append these events repeat, or null when the stream does not
     * hold their first id. A repeat holds the same ids in the same order from the first one on,
     * with the same types and data; otherwise the append is refused, naming the first id.
     */
    private static AppendResult earlierAppend(StreamId streamId, StreamLog stream, List<EventData> events) {
        RecordedEvent first = stream.byEventId.get(events.getFirst().eventId());
        if (first == null) {
            return null;
        }
        int start = (int) first.version();
        for (int i = 0; i < events.size(); i++) {
            int index = start + i;
            if (index >= stream.events.size() || !stream.events.get(index).eventId().equals(events.get(i).eventId())) {
                throw new DuplicateEventException(streamId, first.eventId());
            }
        }
        for (int i = 0; i < events.size(); i++) {
            RecordedEvent stored = stream.events.get(start + i);
            EventData event = events.get(i);
            if (!stored.type().equals(event.type()) || !stored.data().equals(event.data())) {
                throw DuplicateEventException.differentEvent(streamId, event.eventId());
            }
        }
        RecordedEvent last = stream.events.get(start + events.size() - 1);
        return new AppendResult(last.version(), last.position(), true);
    }

    @Override
    public List<RecordedEvent> readStream(StreamId streamId, long fromVersion, ReadDirection direction, int limit) {
        requireOpen();
        requirePositive(limit);
        lock.readLock().lock();
        try {
            StreamLog stream = streams.get(streamId);
            if (stream == null) {
                return List.of();
            }
            if (stream.tombstoned) {
                throw new StreamDeletedException(streamId);
            }
            var result = new ArrayList<RecordedEvent>(Math.min(limit, stream.events.size()));
            long firstVisible = stream.deletedThrough + 1;
            if (direction == ReadDirection.FORWARD) {
                for (long v = Math.max(fromVersion, firstVisible); v <= stream.lastVersion() && result.size() < limit; v++) {
                    result.add(stream.events.get((int) v));
                }
            } else {
                for (long v = Math.min(fromVersion, stream.lastVersion()); v >= firstVisible && result.size() < limit; v--) {
                    result.add(stream.events.get((int) v));
                }
            }
            return result;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public StreamState streamState(StreamId streamId) {
        requireOpen();
        lock.readLock().lock();
        try {
            StreamLog stream = streams.get(streamId);
            if (stream == null) {
                return StreamState.absent();
            }
            if (stream.tombstoned) {
                return StreamState.tombstoned();
            }
            long visible = stream.visibleVersion();
            return visible < 0 ? StreamState.absent() : StreamState.active(visible);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<RecordedEvent> readAll(Position after, int limit, EventFilter filter) {
        requireOpen();
        requirePositive(limit);
        Objects.requireNonNull(filter, "filter");
        lock.readLock().lock();
        try {
            var result = new ArrayList<RecordedEvent>(Math.min(limit, 1024));
            // sequence n lives at index n - 1, so the first event after `after` is at index after.sequence
            for (int i = (int) Math.min(after.sequence(), all.size()); i < all.size() && result.size() < limit; i++) {
                RecordedEvent event = all.get(i);
                if (filter.matches(event)) {
                    result.add(event);
                }
            }
            return result;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void delete(StreamId streamId, ExpectedVersion expected, DeleteMode mode) {
        requireOpen();
        lock.writeLock().lock();
        try {
            StreamLog stream = streams.computeIfAbsent(streamId, id -> new StreamLog());
            if (stream.tombstoned) {
                throw new StreamDeletedException(streamId);
            }
            long visible = stream.visibleVersion();
            if (!expected.isSatisfiedBy(visible)) {
                throw new WrongExpectedVersionException(streamId, expected, visible);
            }
            switch (mode) {
                case SOFT -> stream.deletedThrough = stream.lastVersion();
                case HARD -> stream.tombstoned = true;
            }
        } finally {
            lock.writeLock().unlock();
        }
        subscriptions.streamDeleted(streamId);
    }

    @Override
    public ExportResult exportJsonLines(OutputStream out) throws IOException {
        List<RecordedEvent> events;
        var deleted = new TreeMap<StreamId, StreamLog.Mark>();
        lock.readLock().lock();
        try {
            events = List.copyOf(all);
            streams.forEach((id, stream) -> deleted.put(id, stream.mark()));
        } finally {
            lock.readLock().unlock();
        }
        try (var writer = new JsonLinesWriter(out)) {
            for (RecordedEvent event : events) {
                writer.writeEvent(event);
            }
            for (var entry : deleted.entrySet()) {
                writer.writeDeletions(entry.getKey(), entry.getValue().deletedThrough(), entry.getValue().tombstoned());
            }
            return writer.result();
        }
    }

    @Override
    public ImportResult importJsonLines(InputStream in) {
        return ChunkedImport.run(in, IMPORT_CHUNK_LINES, this::importChunk);
    }

    /** Applies the lines in order, or none of them. */
    private ImportResult importChunk(List<JsonLine> chunk) {
        long written = 0;
        long skipped = 0;
        long deletions = 0;
        lock.writeLock().lock();
        int allBefore = all.size();
        var marks = new HashMap<StreamId, StreamLog.Mark>();
        try {
            for (JsonLine line : chunk) {
                StreamLog stream = streams.computeIfAbsent(line.streamId(), id -> new StreamLog());
                marks.computeIfAbsent(line.streamId(), id -> stream.mark());
                switch (line) {
                    case JsonLine.Event event -> {
                        if (importEvent(stream, event)) {
                            written++;
                        } else {
                            skipped++;
                        }
                    }
                    case JsonLine.Deletion deletion -> {
                        applyDeletion(stream, deletion);
                        deletions++;
                    }
                }
            }
        } catch (RuntimeException e) {
            marks.values().forEach(StreamLog.Mark::restore);
            streams.values().removeIf(stream -> stream.events.isEmpty() && stream.deletedThrough < 0 && !stream.tombstoned);
            while (all.size() > allBefore) {
                all.removeLast();
            }
            throw e;
        } finally {
            lock.writeLock().unlock();
        }
        if (written > 0) {
            appended.signal();
        }
        return new ImportResult(written, skipped, deletions);
    }

    /** Whether the event was written; false when the stream already holds it. */
    private boolean importEvent(StreamLog stream, JsonLine.Event line) {
        long last = stream.lastVersion();
        if (line.version() <= last) {
            String difference = line.differenceFrom(stream.events.get((int) line.version()), Duration.ZERO);
            if (difference != null) {
                throw ImportConflicts.changed(line, difference);
            }
            return false;
        }
        if (stream.tombstoned) {
            throw ImportConflicts.tombstoned(line);
        }
        if (line.version() != last + 1) {
            throw ImportConflicts.gap(line, last);
        }
        EventData data = line.event();
        if (stream.byEventId.containsKey(data.eventId())) {
            throw ImportConflicts.idStored(line);
        }
        var event = new RecordedEvent(line.streamId(), line.version(), Position.of(all.size() + 1L), data.eventId(),
                data.type(), data.data(), data.metadata(), line.recordedAt(), data.occurredAt(), data.tags());
        all.add(event);
        stream.events.add(event);
        stream.byEventId.put(event.eventId(), event);
        return true;
    }

    private static void applyDeletion(StreamLog stream, JsonLine.Deletion line) {
        switch (line.mode()) {
            case SOFT -> {
                if (line.throughVersion() > stream.lastVersion()) {
                    throw ImportConflicts.hidesMissing(line, stream.lastVersion());
                }
                stream.deletedThrough = Math.max(stream.deletedThrough, line.throughVersion());
            }
            case HARD -> stream.tombstoned = true;
        }
    }

    @Override
    public Position headPosition() {
        requireOpen();
        return lastPosition();
    }

    private Position lastPosition() {
        lock.readLock().lock();
        try {
            return Position.of(all.size());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Subscription subscribeToAll(Position after, EventFilter filter, int maxBatch, EventBatchHandler handler) {
        requireOpen();
        return subscriptions.toAll(after, filter, maxBatch, handler);
    }

    @Override
    public Subscription subscribeToStream(StreamId streamId, long afterVersion, int maxBatch,
                                          EventBatchHandler handler) {
        requireOpen();
        return subscriptions.toStream(streamId, afterVersion, maxBatch, handler);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        subscriptions.close();
        memory.inUse.set(false);
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new EventStoreClosedException("the in-memory store is closed");
        }
    }

    private static void requirePositive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
    }
}
