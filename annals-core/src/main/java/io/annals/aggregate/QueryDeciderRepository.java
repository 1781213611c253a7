package io.annals.aggregate;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.serialization.EventSerializer;
import io.annals.store.Append;
import io.annals.store.AppendCondition;
import io.annals.store.AppendConditionFailedException;
import io.annals.store.AppendResults;
import io.annals.store.CommandRecording;
import io.annals.store.ConditionalAppender;
import io.annals.store.EventQuery;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import io.annals.store.QueryRead;
import io.annals.store.QueryReader;
import io.annals.store.RecordedCommand;
import io.annals.store.StreamWrite;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs commands against {@link QueryDecider}s (the Dynamic Consistency Boundary): reads every
 * event matching the command's query, folds them, decides, and appends the new events with the
 * condition that no event matching the query was recorded after what was read. When the
 * condition fails, it reads and decides again, a bounded number of times.
 *
 * <p>New events go to the streams {@link QueryDecider#streamOf} names, with no expected version:
 * the condition is the boundary. Command ids and their records work as in {@link DeciderRepository}.
 */
public final class QueryDeciderRepository<C, S, E> {

    private static final int PAGE = 512;

    /** The state folded from a query's events, and the position the read scanned up to. */
    public record Loaded<S>(S state, Position scannedTo) {
    }

    private final QueryDecider<C, S, E> decider;
    private final Class<E> eventType;
    private final QueryReader reader;
    private final ConditionalAppender appender;
    private final EventSourcedStreams streams;
    private final CommandRecorder recorder;
    private final int maxAttempts;

    private QueryDeciderRepository(Builder<C, S, E> builder) {
        this.decider = builder.decider;
        this.eventType = builder.eventType;
        this.reader = (QueryReader) builder.store;
        this.appender = (ConditionalAppender) builder.store;
        this.streams = new EventSourcedStreams(builder.store, builder.serializer);
        this.recorder = CommandRecorder.forStore(streams, builder.commandRetention, builder.clock);
        this.maxAttempts = builder.maxAttempts;
    }

    /**
     * @param store a store that reads by query and appends under conditions (every Annals store does)
     */
    public static <C, S, E> Builder<C, S, E> builder(EventStore store, EventSerializer serializer,
                                                     QueryDecider<C, S, E> decider, Class<E> eventType) {
        return new Builder<>(store, serializer, decider, eventType);
    }

    /** The query's events folded from the decider's initial state, read to the end. */
    public Loaded<S> load(EventQuery query) {
        Objects.requireNonNull(query, "query");
        S state = decider.initialState();
        Position after = Position.START;
        while (true) {
            QueryRead page = reader.read(query, after, PAGE);
            for (RecordedEvent recorded : page.events()) {
                state = decider.evolve(state, cast(recorded));
            }
            after = page.scannedTo();
            if (page.events().size() < PAGE) {
                return new Loaded<>(state, after);
            }
        }
    }

    /** Handles a command under a new id, which nobody can send again, so no record of it is kept. */
    public QueryOutcome<S, E> handle(C command) {
        return handle(command, CommandContext.newUnrepeatableCommand());
    }

    /**
     * Handles a command under the context's command id; with a store that keeps command records
     * and a {@linkplain CommandContext#repeatable() repeatable} id, a repeat of the id returns the first outcome, as {@link DeciderRepository#handle(StreamId, Object, CommandContext)}.
     *
     * @throws DomainException                 the decider's rejection
     * @throws AppendConditionFailedException  when newer matching events kept appearing for every attempt
     * @throws InvalidCommandException         when the command's query cannot be built
     * @throws CommandIdReusedException        when the id was used by a different command
     */
    public QueryOutcome<S, E> handle(C command, CommandContext context) {
        return handle(command, context, recorder.records() && context.repeatable());
    }

    private QueryOutcome<S, E> handle(C command, CommandContext context, boolean record) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(context, "context");
        EventQuery query = queryOf(command);
        String fingerprint = record ? recorder.fingerprint(command) : null;
        for (int attempt = 1; ; attempt++) {
            Loaded<S> loaded = load(query);
            List<E> decided;
            try {
                decided = decider.decide(command, loaded.state());
            } catch (DomainException rejection) {
                if (record) {
                    Optional<RecordedCommand> earlier = recorder.rejected(context, fingerprint, rejection);
                    if (earlier.isPresent()) {
                        return repeat(query, earlier.get());
                    }
                }
                throw rejection;
            }
            Map<StreamId, List<E>> byStream = byStream(decided);
            List<E> events = byStream.values().stream().flatMap(List::stream).toList();
            Optional<Append> append = events.isEmpty() ? Optional.empty()
                    : Optional.of(appendOf(byStream, context, new AppendCondition(query, loaded.scannedTo())));
            try {
                Optional<AppendResults> results;
                if (record) {
                    CommandRecording recording = recorder.accepted(context, fingerprint, append);
                    if (recording instanceof CommandRecording.AlreadyRecorded(RecordedCommand earlier)) {
                        return repeat(query, earlier);
                    }
                    results = recording.recorded().results();
                } else {
                    results = append.map(a -> EventSourcedStreams.retryingUnavailable(() -> appender.append(a)));
                }
                return new QueryOutcome<>(events, decider.fold(loaded.state(), events),
                        results.map(AppendResults::position), false);
            } catch (AppendConditionFailedException conflict) {
                if (attempt >= maxAttempts) {
                    throw conflict;
                }
            }
        }
    }

    private EventQuery queryOf(C command) {
        try {
            return Objects.requireNonNull(decider.query(command), "the decider's query");
        } catch (IllegalArgumentException e) {
            throw new InvalidCommandException("query", e.getMessage(), e);
        }
    }

    /** The decision's events as they are stored: stream by stream, streams in order of first appearance. */
    private Map<StreamId, List<E>> byStream(List<E> decided) {
        var byStream = new LinkedHashMap<StreamId, List<E>>();
        for (E event : decided) {
            byStream.computeIfAbsent(decider.streamOf(event), id -> new ArrayList<>()).add(event);
        }
        return byStream;
    }

    private Append appendOf(Map<StreamId, List<E>> byStream, CommandContext context, AppendCondition condition) {
        var writes = new ArrayList<StreamWrite>(byStream.size());
        int index = 0;
        for (Map.Entry<StreamId, List<E>> stream : byStream.entrySet()) {
            List<EventData> data = streams.eventData(stream.getValue(), context, index);
            writes.add(new StreamWrite(stream.getKey(), ExpectedVersion.any(), data));
            index += data.size();
        }
        return new Append(writes, Optional.of(condition));
    }

    private QueryOutcome<S, E> repeat(EventQuery query, RecordedCommand earlier) {
        List<E> events = recorder.earlierEvents(earlier).stream().map(eventType::cast).toList();
        return new QueryOutcome<>(events, load(query).state(), CommandRecorder.position(earlier), true);
    }

    private E cast(RecordedEvent recorded) {
        Object event = streams.serializer().deserialize(recorded);
        if (!eventType.isInstance(event)) {
            throw new IllegalStateException("the query matched event " + recorded.eventId() + " of type " + recorded.type()
                    + ", which is not a " + eventType.getName() + "; narrow the query to the decider's event types");
        }
        return eventType.cast(event);
    }

    public static final class Builder<C, S, E> extends RuntimeOptions<Builder<C, S, E>> {
        private final EventStore store;
        private final EventSerializer serializer;
        private final QueryDecider<C, S, E> decider;
        private final Class<E> eventType;

        private Builder(EventStore store, EventSerializer serializer, QueryDecider<C, S, E> decider, Class<E> eventType) {
            this.store = Objects.requireNonNull(store, "store");
            this.serializer = Objects.requireNonNull(serializer, "serializer");
            this.decider = Objects.requireNonNull(decider, "decider");
            this.eventType = Objects.requireNonNull(eventType, "eventType");
            if (!(store instanceof QueryReader) || !(store instanceof ConditionalAppender)) {
                throw new IllegalArgumentException(store.getClass().getName()
                        + " cannot read by query or append under a condition, which deciders over a query need");
            }
        }

        @Override
        Builder<C, S, E> self() {
            return this;
        }

        public QueryDeciderRepository<C, S, E> build() {
            return new QueryDeciderRepository<>(this);
        }
    }
}
