package io.annals.projection;

import io.annals.event.RecordedEvent;
import io.annals.event.Tag;
import io.annals.store.EventFilter;
import io.annals.store.EventQuery;
import io.annals.store.QueryItem;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The events a projection handles: those the filter (event types, stream prefix) lets through
 * and, when a query is given, that also match the query (types and tags, see {@link EventQuery}).
 * The filter is evaluated by the store; the query on the events it delivers.
 *
 * @param none true for {@link #NONE} only
 */
public record Selection(EventFilter filter, Optional<EventQuery> query, boolean none) {

    public static final Selection ALL = new Selection(EventFilter.ALL, Optional.empty());

    /**
     * No events: the projection's partition only holds its lease, for a component that follows
     * the store by itself and moves the checkpoint in its lease (an outbox relay). Its worker
     * reads nothing and its backlog is always empty.
     */
    public static final Selection NONE = new Selection(EventFilter.ALL, Optional.empty(), true);

    public Selection {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(query, "query");
    }

    public Selection(EventFilter filter, Optional<EventQuery> query) {
        this(filter, query, false);
    }

    public static Selection types(String... types) {
        return new Selection(EventFilter.eventTypes(types), Optional.empty());
    }

    public static Selection streamPrefix(String prefix) {
        return new Selection(EventFilter.streamPrefix(prefix), Optional.empty());
    }

    /** Events carrying every one of {@code tags}. */
    public static Selection tagged(Tag... tags) {
        return query(EventQuery.tagged(tags));
    }

    /**
     * Events matching {@code query}. When every item names its types, the store is asked for
     * those types only.
     */
    public static Selection query(EventQuery query) {
        Set<String> types = new HashSet<>();
        for (QueryItem item : query.items()) {
            if (item.types().isEmpty()) {
                return new Selection(EventFilter.ALL, Optional.of(query));
            }
            types.addAll(item.types());
        }
        return new Selection(new EventFilter(types, ""), Optional.of(query));
    }

    public Selection andStreamPrefix(String prefix) {
        return new Selection(filter.andStreamPrefix(prefix), query, none);
    }

    public boolean matches(RecordedEvent event) {
        return !none && filter.matches(event) && query.map(q -> q.matches(event)).orElse(true);
    }
}
