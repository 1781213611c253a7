package io.annals.aggregate;

import java.util.ArrayList;
import java.util.List;

/**
 * The object-oriented aggregate style: behaviour methods check rules and {@link #apply} events;
 * {@link #when} changes fields from an event, for new events and for history alike.
 *
 * @param <E> the aggregate's events
 */
public abstract class AggregateRoot<E> {

    private final List<E> uncommitted = new ArrayList<>();
    private long version = -1;

    /** Changes the aggregate's fields to reflect an event. Never checks rules: history is fact. */
    protected abstract void when(E event);

    /** Records a new event and applies it. */
    protected final void apply(E event) {
        when(event);
        uncommitted.add(event);
    }

    /** Rebuilds the aggregate from stored events; they become its committed history. */
    public final void loadFromHistory(Iterable<? extends E> history) {
        if (!uncommitted.isEmpty()) {
            throw new IllegalStateException("cannot load history into an aggregate with uncommitted events");
        }
        for (E event : history) {
            when(event);
            version++;
        }
    }

    /** The version of the last committed event, -1 for an aggregate with no history. */
    public final long version() {
        return version;
    }

    public final List<E> uncommittedEvents() {
        return List.copyOf(uncommitted);
    }

    /** Called by the repository once the uncommitted events are stored. */
    public final void markCommitted() {
        version += uncommitted.size();
        uncommitted.clear();
    }
}
