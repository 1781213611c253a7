package io.annals.aggregate;

import io.annals.event.StreamId;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.SerializationException;
import io.annals.snapshot.Snapshot;
import io.annals.snapshot.SnapshotPolicy;
import io.annals.snapshot.SnapshotStore;
import io.annals.store.Append;
import io.annals.store.AppendResult;
import io.annals.store.CommandRecording;
import io.annals.store.RecordedCommand;
import io.annals.store.EventStore;
import io.annals.store.WrongExpectedVersionException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs commands against deciders stored as event streams: load (from a snapshot plus later
 * events when there is one), decide, append with the loaded version as the expected version,
 * and on a concurrency conflict load and decide again, a bounded number of times.
 */
public final class DeciderRepository<C, S, E> {

    private static final Logger log = LoggerFactory.getLogger(DeciderRepository.class);

    /** The state of one stream and the version it was folded up to (-1: no events). */
    public record Loaded<S>(S state, long version) {
    }

    private final Decider<C, S, E> decider;
    private final Class<E> eventType;
    private final EventSourcedStreams streams;
    private final EventSerializer serializer;
    private final SnapshotStore snapshots;
    private final SnapshotPolicy snapshotPolicy;
    private final Class<S> stateType;
    private final String snapshotType;
    private final int maxAttempts;
    private final Clock clock;
    private final CommandRecorder recorder;

    private DeciderRepository(Builder<C, S, E> builder) {
        this.decider = builder.decider;
        this.eventType = builder.eventType;
        this.serializer = builder.serializer;
        this.streams = new EventSourcedStreams(builder.store, builder.serializer);
        this.snapshots = builder.snapshots;
        this.snapshotPolicy = builder.snapshotPolicy;
        this.stateType = builder.stateType;
        this.snapshotType = builder.snapshotType;
        this.maxAttempts = builder.maxAttempts;
        this.clock = builder.clock;
        this.recorder = CommandRecorder.forStore(streams, builder.commandRetention, builder.clock);
    }

    public static <C, S, E> Builder<C, S, E> builder(EventStore store, EventSerializer serializer,
                                                     Decider<C, S, E> decider, Class<E> eventType) {
        return new Builder<>(store, serializer, decider, eventType);
    }

    public Loaded<S> load(StreamId streamId) {
        S state = decider.initialState();
        long version = -1;
        Optional<Snapshot> snapshot = snapshots == null ? Optional.empty() : snapshots.load(streamId);
        if (snapshot.isPresent() && snapshot.get().stateType().equals(snapshotType)) {
            try {
                state = serializer.fromJson(snapshot.get().state(), stateType);
                version = snapshot.get().version();
            } catch (SerializationException e) {
                log.warn("ignoring unreadable snapshot of {} at version {}: {}", streamId, snapshot.get().version(), e.getMessage());
            }
        }
        var folded = new Object() {
            S state;
        };
        folded.state = state;
        long last = streams.replay(streamId, version, eventType, event -> folded.state = decider.evolve(folded.state, event));
        return new Loaded<>(folded.state, last);
    }

    /** Handles a command under a new id, which nobody can send again, so no record of it is kept. */
    public CommandOutcome<S, E> handle(StreamId streamId, C command) {
        return handle(streamId, command, CommandContext.newUnrepeatableCommand());
    }

    /**
     * Handles a command under the context's command id. When the store keeps command records
     * ({@link io.annals.store.CommandLog}) and the id is {@linkplain CommandContext#repeatable() repeatable}, the first outcome is recorded with the events, and
     * handling the same id again returns it and writes nothing; the same id with a different
     * command is refused with {@link CommandIdReusedException}. A recorded rejection is thrown
     * again as a {@link DomainException} with its code and message.
     */
    public CommandOutcome<S, E> handle(StreamId streamId, C command, CommandContext context) {
        return handle(streamId, command, context, recorder.records() && context.repeatable());
    }

    private CommandOutcome<S, E> handle(StreamId streamId, C command, CommandContext context, boolean record) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(context, "context");
        String fingerprint = record ? recorder.fingerprint(command) : null;
        for (int attempt = 1; ; attempt++) {
            Loaded<S> loaded = load(streamId);
            List<E> events;
            try {
                events = decider.decide(command, loaded.state());
            } catch (DomainException rejection) {
                if (record) {
                    Optional<RecordedCommand> earlier = recorder.rejected(context, fingerprint, rejection);
                    if (earlier.isPresent()) {
                        return repeat(streamId, earlier.get());
                    }
                }
                throw rejection;
            }
            if (events.isEmpty() && !record) {
                return new CommandOutcome<>(List.of(), loaded.state(), loaded.version(), Optional.empty());
            }
            try {
                AppendResult result;
                if (record) {
                    Optional<Append> append = events.isEmpty() ? Optional.empty()
                            : Optional.of(streams.appendOf(streamId, loaded.version(), events, context));
                    CommandRecording recording = recorder.accepted(context, fingerprint, append);
                    if (recording instanceof CommandRecording.AlreadyRecorded(RecordedCommand earlier)) {
                        return repeat(streamId, earlier);
                    }
                    if (events.isEmpty()) {
                        return new CommandOutcome<>(List.of(), loaded.state(), loaded.version(), Optional.empty());
                    }
                    result = recording.recorded().results().orElseThrow().streams().getFirst();
                } else {
                    result = streams.append(streamId, loaded.version(), events, context);
                }
                S state = decider.fold(loaded.state(), events);
                snapshotIfDue(streamId, loaded.version(), result.nextExpectedVersion(), state);
                return new CommandOutcome<>(events, state, result.nextExpectedVersion(), Optional.of(result.position()));
            } catch (WrongExpectedVersionException conflict) {
                if (attempt >= maxAttempts) {
                    throw conflict;
                }
            }
        }
    }

    /** The recorded first outcome of a command handled before, with the stream as it is now. */
    private CommandOutcome<S, E> repeat(StreamId streamId, RecordedCommand earlier) {
        List<E> events = recorder.earlierEvents(earlier).stream().map(eventType::cast).toList();
        Loaded<S> now = load(streamId);
        return new CommandOutcome<>(events, now.state(), now.version(), CommandRecorder.position(earlier), true);
    }

    private void snapshotIfDue(StreamId streamId, long previousVersion, long newVersion, S state) {
        if (snapshots == null || !snapshotPolicy.shouldSnapshot(previousVersion, newVersion)) {
            return;
        }
        try {
            snapshots.save(new Snapshot(streamId, newVersion, snapshotType, serializer.toJson(state), clock.instant()));
        } catch (RuntimeException e) {
            // a missed snapshot only makes the next load slower; the command already succeeded
            log.warn("could not snapshot {} at version {}: {}", streamId, newVersion, e.toString());
        }
    }

    public static final class Builder<C, S, E> extends RuntimeOptions<Builder<C, S, E>> {
        private final EventStore store;
        private final EventSerializer serializer;
        private final Decider<C, S, E> decider;
        private final Class<E> eventType;
        private SnapshotStore snapshots;
        private SnapshotPolicy snapshotPolicy = SnapshotPolicy.never();
        private Class<S> stateType;
        private String snapshotType;

        private Builder(EventStore store, EventSerializer serializer, Decider<C, S, E> decider, Class<E> eventType) {
            this.store = Objects.requireNonNull(store, "store");
            this.serializer = Objects.requireNonNull(serializer, "serializer");
            this.decider = Objects.requireNonNull(decider, "decider");
            this.eventType = Objects.requireNonNull(eventType, "eventType");
        }

        /**
         * Takes snapshots by {@code policy}. {@code snapshotType} names the state's shape: change
         * it when the state class changes and old snapshots are ignored.
         */
        public Builder<C, S, E> snapshots(SnapshotStore store, SnapshotPolicy policy, Class<S> stateType, String snapshotType) {
            this.snapshots = Objects.requireNonNull(store, "store");
            this.snapshotPolicy = Objects.requireNonNull(policy, "policy");
            this.stateType = Objects.requireNonNull(stateType, "stateType");
            this.snapshotType = Objects.requireNonNull(snapshotType, "snapshotType");
            return this;
        }

        @Override
        Builder<C, S, E> self() {
            return this;
        }

        public DeciderRepository<C, S, E> build() {
            return new DeciderRepository<>(this);
        }
    }
}
