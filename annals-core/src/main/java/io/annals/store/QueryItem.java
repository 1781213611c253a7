package io.annals.store;

import io.annals.event.RecordedEvent;
import io.annals.event.Tag;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One part of an {@link EventQuery}: an event matches it when its type is one of {@code types}
 * (any type when empty) and it carries every one of {@code tags}.
 */
public record QueryItem(Set<String> types, Set<Tag> tags) {

    public QueryItem {
        types = Set.copyOf(Objects.requireNonNull(types, "types"));
        tags = Set.copyOf(Objects.requireNonNull(tags, "tags"));
        if (types.isEmpty() && tags.isEmpty()) {
            throw new IllegalArgumentException("a query item names at least one event type or tag");
        }
    }

    public static QueryItem tagged(Tag... tags) {
        return new QueryItem(Set.of(), Set.of(tags));
    }

    public static QueryItem ofTypes(String... types) {
        return new QueryItem(Set.of(types), Set.of());
    }

    public static QueryItem of(Collection<String> types, Collection<Tag> tags) {
        return new QueryItem(Set.copyOf(types), Set.copyOf(tags));
    }

    public QueryItem withTypes(String... moreTypes) {
        var all = new java.util.HashSet<>(types);
        all.addAll(List.of(moreTypes));
        return new QueryItem(all, tags);
    }

    public boolean matches(String type, Set<Tag> eventTags) {
        return (types.isEmpty() || types.contains(type)) && eventTags.containsAll(tags);
    }

    public boolean matches(RecordedEvent event) {
        return matches(event.type(), event.tags());
    }
}
