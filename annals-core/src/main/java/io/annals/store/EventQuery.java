package io.annals.store;

import io.annals.event.RecordedEvent;
import io.annals.event.Tag;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Selects the events a decision depends on, across streams: an event matches the query when it
 * matches any of its items (see {@link QueryItem}). This is the query of the Dynamic
 * Consistency Boundary specification; {@link AppendCondition} uses it to refuse an append that
 * a newer matching event would have changed.
 */
public record EventQuery(List<QueryItem> items) {

    /** How many items one query may hold. */
    public static final int MAX_ITEMS = 64;

    public EventQuery {
        items = List.copyOf(Objects.requireNonNull(items, "items"));
        if (items.isEmpty()) {
            throw new IllegalArgumentException("a query has at least one item");
        }
        if (items.size() > MAX_ITEMS) {
            throw new IllegalArgumentException("a query has at most " + MAX_ITEMS + " items, got " + items.size());
        }
    }

    public static EventQuery of(QueryItem... items) {
        return new EventQuery(List.of(items));
    }

    /** Events of any of {@code types} that carry every one of {@code tags}. */
    public static EventQuery of(Set<String> types, Set<Tag> tags) {
        return of(new QueryItem(types, tags));
    }

    public static EventQuery tagged(Tag... tags) {
        return of(QueryItem.tagged(tags));
    }

    public EventQuery or(QueryItem item) {
        var all = new java.util.ArrayList<>(items);
        all.add(item);
        return new EventQuery(all);
    }

    public boolean matches(String type, Set<Tag> tags) {
        for (QueryItem item : items) {
            if (item.matches(type, tags)) {
                return true;
            }
        }
        return false;
    }

    public boolean matches(RecordedEvent event) {
        return matches(event.type(), event.tags());
    }
}
