package io.annals.aggregate;

import io.annals.event.StreamId;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.SerializationException;
import io.annals.snapshot.Snapshot;
import io.annals.snapshot.SnapshotPolicy;
import io.annals.snapshot.SnapshotStore;
import io.annals.store.AppendResult;
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

    public CommandOutcome<S, E> handle(StreamId streamId, C command) {
        return handle(streamId, command, CommandContext.newCommand());
    }

    public CommandOutcome<S, E> handle(StreamId streamId, C command, CommandContext context) {
        Objects.requireNonNull(command, "command");
        for (int attempt = 1; ; attempt++) {
            Loaded<S> loaded = load(streamId);
            List<E> events = decider.decide(command, loaded.state());
            if (events.isEmpty()) {
                return new CommandOutcome<>(List.of(), loaded.state(), loaded.version(), Optional.empty());
            }
            try {
                AppendResult result = streams.append(streamId, loaded.version(), events, context);
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

    public static final class Builder<C, S, E> {
        private final EventStore store;
        private final EventSerializer serializer;
        private final Decider<C, S, E> decider;
        private final Class<E> eventType;
        private SnapshotStore snapshots;
        private SnapshotPolicy snapshotPolicy = SnapshotPolicy.never();
        private Class<S> stateType;
        private String snapshotType;
        private int maxAttempts = 5;
        private Clock clock = Clock.systemUTC();

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

        /** How many times to load and decide again after a concurrency conflict, in all. */
        public Builder<C, S, E> maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be positive");
            }
            this.maxAttempts = attempts;
            return this;
        }

        public Builder<C, S, E> clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public DeciderRepository<C, S, E> build() {
            return new DeciderRepository<>(this);
        }
    }
}
