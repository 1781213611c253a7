package io.annals.aggregate;

import io.annals.event.StreamId;
import io.annals.serialization.EventSerializer;
import io.annals.store.AppendResult;
import io.annals.store.EventStore;
import io.annals.store.WrongExpectedVersionException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Loads {@link AggregateRoot}s from their streams, runs an action on them and appends what they
 * recorded, with the loaded version as the expected version; on a conflict it reloads and runs
 * the action again, a bounded number of times.
 */
public final class AggregateRootRepository<A extends AggregateRoot<E>, E> {

    private final Supplier<A> factory;
    private final Class<E> eventType;
    private final EventSourcedStreams streams;
    private final int maxAttempts;

    public AggregateRootRepository(EventStore store, EventSerializer serializer, Supplier<A> factory, Class<E> eventType) {
        this(store, serializer, factory, eventType, 5);
    }

    public AggregateRootRepository(EventStore store, EventSerializer serializer, Supplier<A> factory,
                                   Class<E> eventType, int maxAttempts) {
        this.streams = new EventSourcedStreams(Objects.requireNonNull(store, "store"), Objects.requireNonNull(serializer, "serializer"));
        this.factory = Objects.requireNonNull(factory, "factory");
        this.eventType = Objects.requireNonNull(eventType, "eventType");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be positive");
        }
        this.maxAttempts = maxAttempts;
    }

    /** The aggregate rebuilt from its stream; a fresh one (version -1) when the stream is empty. */
    public A load(StreamId streamId) {
        A aggregate = factory.get();
        var history = new java.util.ArrayList<E>();
        streams.replay(streamId, -1, eventType, history::add);
        aggregate.loadFromHistory(history);
        return aggregate;
    }

    /** Loads the aggregate, runs {@code action} on it and stores the events it recorded. */
    public CommandOutcome<A, E> execute(StreamId streamId, CommandContext context, Consumer<? super A> action) {
        for (int attempt = 1; ; attempt++) {
            A aggregate = load(streamId);
            action.accept(aggregate);
            List<E> events = aggregate.uncommittedEvents();
            if (events.isEmpty()) {
                return new CommandOutcome<>(List.of(), aggregate, aggregate.version(), Optional.empty());
            }
            try {
                AppendResult result = streams.append(streamId, aggregate.version(), events, context);
                aggregate.markCommitted();
                return new CommandOutcome<>(events, aggregate, result.nextExpectedVersion(), Optional.of(result.position()));
            } catch (WrongExpectedVersionException conflict) {
                if (attempt >= maxAttempts) {
                    throw conflict;
                }
            }
        }
    }

    public CommandOutcome<A, E> execute(StreamId streamId, Consumer<? super A> action) {
        return execute(streamId, CommandContext.newCommand(), action);
    }
}
