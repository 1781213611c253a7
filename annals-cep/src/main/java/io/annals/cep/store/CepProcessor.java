package io.annals.cep.store;

import io.annals.cep.CepEngine;
import io.annals.cep.CepLimits;
import io.annals.cep.CepMetrics;
import io.annals.cep.Match;
import io.annals.cep.text.PatternDefinition;
import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.Append;
import io.annals.store.AppendResults;
import io.annals.store.ConditionalAppender;
import io.annals.store.DeleteMode;
import io.annals.store.EventFilter;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import io.annals.store.StreamReader;
import io.annals.store.StreamState;
import io.annals.store.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Runs one pattern over the store's events: a subscription feeds the engine, matches are appended
 * as events to the stream {@code cep-<name>} (type {@code <pattern>Detected}, tags
 * {@code cep-pattern:<pattern>} and {@code <key name>:<key>}, metadata {@value MatchEvents#PATTERN}
 * and {@value MatchEvents#KEY}), and checkpoints go to two streams, {@code cepcheckpoint-<name>}
 * and {@code cepcheckpoint-<name>-1}, in turn.
 *
 * <p><b>One write at a time, atomic.</b> Every write is one {@link Append}: the matches with
 * their progress (each match event records the input position and watermark it was emitted at)
 * and, when one is due, a checkpoint (the input position, the output stream's version and the
 * engine's state, its partial matches as positions of events in the store). Both streams are
 * written with exact expected versions, so a second processor of the same name fails instead of
 * interleaving its writes. A checkpoint is due every {@code checkpointEvery} input events, with
 * every match a clock move emits, after an event that only a clock move made late, and on close.
 *
 * <p><b>Restart.</b> A restarted processor loads the newest checkpoint, reads the held events
 * back, and replays the input after it. Matching is deterministic given the input and the
 * watermark moves: the replay re-applies the moves recorded in the match events written after
 * the checkpoint and recognises those matches by their derived ids, so nothing in progress is lost
 * and nothing is written twice.
 *
 * <p><b>Old checkpoints.</b> Before a checkpoint is written to one of the two streams, that
 * stream is soft-deleted: it held the checkpoint before last, and the other stream keeps the last
 * one until the new one is written. Stream reads therefore see at most two checkpoints; the
 * store's global log keeps every event it recorded, these too.
 *
 * <p><b>Clock.</b> Once the subscription is live, {@link #advanceClock()} moves the watermark to
 * the clock's time minus the allowed lateness, so windows end and absences are reported without
 * further events. The processor calls it every {@code tick} when one is configured.
 *
 * <p>The processor ignores the events of its own streams and of every checkpoint stream; the
 * matches of other processors are input like any other event.
 */
public final class CepProcessor implements AutoCloseable {

    /** Checkpoint streams are named with this prefix; no processor reads them. */
    public static final String CHECKPOINT_CATEGORY = "cepcheckpoint";

    private final EventStore store;
    private final ConditionalAppender appender;
    private final String name;
    private final PatternDefinition definition;
    private final StreamId output;
    /** The two checkpoint streams, written in turn. */
    private final StreamId[] checkpoints;
    /** Each checkpoint stream's visible version, -1 while it is absent. */
    private final long[] checkpointVersions = {-1, -1};
    private final EventFilter filter;
    private final int checkpointEvery;
    private final Clock clock;
    private final long lateness;
    private final long window;
    private final CepEngine<RecordedEvent, String> engine;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Match<RecordedEvent, String>> emitted = new ArrayList<>();
    /** Ids of matches written after the checkpoint we restarted from, to recognise them in the replay. */
    private final Set<UUID> written = new HashSet<>();
    /** Watermark moves by the clock that emitted matches after the checkpoint, by input position. */
    private final TreeMap<Position, Long> clockMoves = new TreeMap<>();
    private Position input = Position.START;
    private long outputVersion = -1;
    private int sinceCheckpoint;
    /** The next checkpoint's number; checkpoint {@code n} goes to stream {@code n % 2}. */
    private long checkpointSequence;
    /** A clock move raised the watermark above what the input since the last checkpoint implies. */
    private boolean clockAhead;
    private volatile Subscription subscription;
    private java.util.concurrent.ScheduledExecutorService ticker;

    private CepProcessor(Builder builder) {
        this.store = builder.store;
        this.appender = (ConditionalAppender) builder.store;
        this.name = builder.name;
        this.definition = builder.definition;
        this.output = StreamId.of("cep", name);
        this.checkpoints = new StreamId[] {StreamId.of(CHECKPOINT_CATEGORY, name), StreamId.of(CHECKPOINT_CATEGORY, name + "-1")};
        this.filter = builder.filter;
        this.checkpointEvery = builder.checkpointEvery;
        this.clock = builder.clock;
        this.lateness = builder.lateness.toMillis();
        this.window = definition.pattern().within() == null ? 0 : definition.pattern().within().toMillis();
        this.engine = CepEngine.builder(definition.pattern(), definition.partitionBy(), (RecordedEvent e) -> e.occurredAt().toEpochMilli())
                .allowedLateness(builder.lateness)
                .limits(builder.limits)
                .onLate(builder.onLate)
                .onMatch(emitted::add)
                .build();
    }

    /**
     * @param name names the output and checkpoint streams; letters, digits and {@code . _ : @}
     */
    public static Builder builder(EventStore store, String name, PatternDefinition definition) {
        return new Builder(store, name, definition);
    }

    public StreamId outputStream() {
        return output;
    }

    public String name() {
        return name;
    }

    public PatternDefinition definition() {
        return definition;
    }

    /** The two streams that checkpoints are written to in turn. */
    public List<StreamId> checkpointStreams() {
        return List.of(checkpoints);
    }

    /** The position of the last input event processed. */
    public Position position() {
        lock.lock();
        try {
            return input;
        } finally {
            lock.unlock();
        }
    }

    public CepMetrics metrics() {
        lock.lock();
        try {
            return engine.metrics();
        } finally {
            lock.unlock();
        }
    }

    public boolean isRunning() {
        return subscription != null && subscription.isRunning();
    }

    public java.util.Optional<Throwable> failure() {
        return subscription == null ? java.util.Optional.empty() : subscription.failure();
    }

    /** Whether the subscription has caught up with the store and follows it live. */
    public boolean isLive() {
        return subscription != null && subscription.isLive();
    }

    private CepProcessor start(Duration tick) {
        restore();
        subscription = store.subscribeToAll(input, filter, this::handle);
        if (!tick.isZero()) {
            ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
            ticker.scheduleWithFixedDelay(this::advanceClock, tick.toMillis(), tick.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void restore() {
        Checkpoints.Checkpoint newest = null;
        for (int slot = 0; slot < checkpoints.length; slot++) {
            if (!(store.streamState(checkpoints[slot]) instanceof StreamState.Active active)) {
                continue;
            }
            checkpointVersions[slot] = active.version();
            var last = store.readStream(checkpoints[slot], StreamReader.END, ReadDirection.BACKWARD, 1);
            int parts = Checkpoints.parts(last.getFirst());
            var events = store.readStream(checkpoints[slot], StreamReader.END, ReadDirection.BACKWARD, parts).reversed();
            Checkpoints.Checkpoint checkpoint = Checkpoints.read(Checkpoints.text(events));
            if (newest == null || checkpoint.sequence() > newest.sequence()) {
                newest = checkpoint;
            }
        }
        if (newest != null) {
            engine.restore(Checkpoints.resolve(newest.state(), readBack(Checkpoints.heldPositions(newest.state()))));
            input = newest.input();
            outputVersion = newest.outputVersion();
            checkpointSequence = newest.sequence() + 1;
        }
        long from = outputVersion + 1;
        while (true) {
            var written = store.readStreamForward(output, from, 1000);
            for (RecordedEvent event : written) {
                this.written.add(event.eventId());
                Position at = Position.parse(event.metadata().get(MatchEvents.INPUT).orElseThrow());
                long watermark = Long.parseLong(event.metadata().get(MatchEvents.WATERMARK).orElseThrow());
                clockMoves.merge(at, watermark, Math::max);
                outputVersion = event.version();
            }
            if (written.size() < 1000) {
                break;
            }
            from = written.getLast().version() + 1;
        }
        replayClockMoves();
    }

    /** Reads the events a checkpoint refers to back from the store, scanning from the oldest. */
    private Map<Position, RecordedEvent> readBack(List<Position> held) {
        var found = new HashMap<Position, RecordedEvent>();
        if (held.isEmpty()) {
            return found;
        }
        var wanted = new HashSet<>(held);
        Position oldest = held.stream().min(Position::compareTo).orElseThrow();
        Position newest = held.stream().max(Position::compareTo).orElseThrow();
        Position after = oldest.sequence() > 0 ? new Position(oldest.transaction(), oldest.sequence() - 1)
                : new Position(oldest.transaction() - 1, Long.MAX_VALUE);
        while (found.size() < wanted.size()) {
            var batch = store.readAll(after, 1000, filter);
            if (batch.isEmpty()) {
                break;
            }
            for (RecordedEvent event : batch) {
                if (wanted.contains(event.position())) {
                    found.put(event.position(), event);
                }
            }
            after = batch.getLast().position();
            if (after.compareTo(newest) >= 0) {
                break;
            }
        }
        return found;
    }

    private void handle(RecordedEvent event) {
        lock.lock();
        try {
            input = event.position();
            if (isOwn(event.streamId())) {
                return;
            }
            long lateBefore = engine.metrics().lateEvents();
            engine.process(event);
            replayClockMoves();
            // a replay without the clock's move would match this event: record that it was late
            boolean lateByClock = clockAhead && engine.metrics().lateEvents() > lateBefore;
            write(++sinceCheckpoint >= checkpointEvery || lateByClock);
        } finally {
            lock.unlock();
        }
    }

    private boolean isOwn(StreamId stream) {
        return stream.equals(output) || stream.value().startsWith(CHECKPOINT_CATEGORY + "-");
    }

    /** Re-applies the clock's moves recorded for the input processed so far. */
    private void replayClockMoves() {
        while (!clockMoves.isEmpty() && clockMoves.firstKey().compareTo(input) <= 0) {
            engine.advanceWatermark(clockMoves.pollFirstEntry().getValue());
        }
    }

    /**
     * Moves the watermark to the clock's time minus the allowed lateness, when the subscription
     * has caught up; completes the windows and absences it passes.
     */
    public void advanceClock() {
        lock.lock();
        try {
            if (subscription != null && subscription.isLive() && clockMoves.isEmpty()) {
                moveWatermark(clock.millis() - lateness);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends every window now, as at the end of the input: for tests and for shutting a pattern down for good. */
    public void advanceWatermarkTo(long eventTime) {
        lock.lock();
        try {
            moveWatermark(eventTime);
        } finally {
            lock.unlock();
        }
    }

    /** A move the input does not imply: what it emits is written with a checkpoint, which records the move. */
    private void moveWatermark(long eventTime) {
        long before = engine.watermark();
        engine.advanceWatermark(eventTime);
        if (engine.watermark() > before) {
            clockAhead = true;
        }
        write(!emitted.isEmpty());
    }

    /** Writes a checkpoint now (with any match not yet written). */
    public void checkpoint() {
        lock.lock();
        try {
            write(true);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the matches emitted since the last write and, when one is due, a checkpoint, in one atomic append with exact expected versions.
     */
    private void write(boolean checkpointDue) {
        // while the replay has not passed the matches written before the restart, a checkpoint would
        // name the output's end with an input position before it, and a second restart would write them again
        boolean withCheckpoint = checkpointDue && clockMoves.isEmpty();
        var events = new ArrayList<EventData>(emitted.size());
        for (Match<RecordedEvent, String> match : emitted) {
            EventData event = MatchEvents.toEvent(name, match, input, engine.watermark(), window, definition.partitionBy().tagName());
            if (!written.contains(event.eventId())) {
                events.add(event);
            }
        }
        emitted.clear();
        if (clockMoves.isEmpty()) {
            // the replay has passed every match written before the restart, and they were all skipped above:
            // one sent again would join this write's checkpoint or new matches, an append the store refuses
            written.clear();
        }
        if (events.isEmpty() && !withCheckpoint) {
            return;
        }
        Append append = null;
        if (!events.isEmpty()) {
            append = Append.to(output, ExpectedVersion.after(outputVersion), events);
        }
        int slot = (int) (checkpointSequence % checkpoints.length);
        if (withCheckpoint) {
            long outputAfter = outputVersion + events.size();
            var checkpoint = Checkpoints.toEvents(Checkpoints.write(checkpointSequence, input, outputAfter, engine.snapshot()));
            if (checkpointVersions[slot] >= 0) {
                // this stream holds the checkpoint before last; the other one keeps the last until this append lands
                store.delete(checkpoints[slot], ExpectedVersion.exact(checkpointVersions[slot]), DeleteMode.SOFT);
                checkpointVersions[slot] = -1;
            }
            append = append == null ? Append.to(checkpoints[slot], ExpectedVersion.noStream(), checkpoint)
                    : append.and(checkpoints[slot], ExpectedVersion.noStream(), checkpoint);
        }
        AppendResults results = appender.append(append);
        int result = 0;
        if (!events.isEmpty()) {
            outputVersion = results.streams().get(result++).nextExpectedVersion();
        }
        if (withCheckpoint) {
            checkpointVersions[slot] = results.streams().get(result).nextExpectedVersion();
            checkpointSequence++;
            sinceCheckpoint = 0;
            clockAhead = false;
        }
    }

    /** Stops the subscription and the clock, and writes a last checkpoint. */
    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        if (subscription != null) {
            subscription.close();
        }
        if (subscription == null || subscription.failure().isEmpty()) {
            checkpoint();
        }
    }

    public static final class Builder {
        private final EventStore store;
        private final String name;
        private final PatternDefinition definition;
        private EventFilter filter = EventFilter.ALL;
        private int checkpointEvery = 10_000;
        private Clock clock = Clock.systemUTC();
        private Duration tick = Duration.ZERO;
        private Duration lateness = Duration.ZERO;
        private CepLimits limits = CepLimits.DEFAULT;
        private Consumer<? super RecordedEvent> onLate = event -> {
        };

        private Builder(EventStore store, String name, PatternDefinition definition) {
            this.store = Objects.requireNonNull(store, "store");
            if (!(store instanceof ConditionalAppender)) {
                throw new IllegalArgumentException("the store must write to several streams in one append (ConditionalAppender), "
                        + store.getClass().getName() + " does not");
            }
            this.definition = Objects.requireNonNull(definition, "definition");
            if (!StreamId.isValid(CHECKPOINT_CATEGORY + "-" + name + "-1") || name.contains("-")) {
                throw new IllegalArgumentException("processor name must be letters, digits and . _ : @ only, got '" + name + "'");
            }
            this.name = name;
        }

        /** Which events to read; the pattern sees only these. */
        public Builder filter(EventFilter value) {
            this.filter = Objects.requireNonNull(value, "filter");
            return this;
        }

        /** Writes a checkpoint after this many input events (and on close). */
        public Builder checkpointEvery(int events) {
            if (events < 1) {
                throw new IllegalArgumentException("checkpointEvery must be at least 1");
            }
            this.checkpointEvery = events;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Calls {@link #advanceClock()} this often; zero (the default) leaves it to the caller. */
        public Builder tick(Duration every) {
            if (every.isNegative()) {
                throw new IllegalArgumentException("tick must not be negative");
            }
            this.tick = every;
            return this;
        }

        public Builder allowedLateness(Duration value) {
            this.lateness = Objects.requireNonNull(value, "lateness");
            return this;
        }

        public Builder limits(CepLimits value) {
            this.limits = Objects.requireNonNull(value, "limits");
            return this;
        }

        public Builder onLate(Consumer<? super RecordedEvent> handler) {
            this.onLate = Objects.requireNonNull(handler, "onLate");
            return this;
        }

        /** Restores from the last checkpoint and starts the subscription. */
        public CepProcessor start() {
            return new CepProcessor(this).start(tick);
        }
    }
}
