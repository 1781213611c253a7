package io.annals.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.event.Tag;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventQueryTest {

    private static final List<String> TYPES = List.of("Registered", "EmailChanged", "Subscribed", "Cancelled");
    private static final List<Tag> TAGS = List.of(Tag.of("email", "a@x"), Tag.of("email", "b@x"),
            Tag.of("course", "c1"), Tag.of("student", "s1"), Tag.of("student", "s2"));

    @Test
    void anItemNeedsOneOfItsTypesAndAllOfItsTags() {
        QueryItem item = QueryItem.of(Set.of("Subscribed"), Set.of(Tag.of("course", "c1"), Tag.of("student", "s1")));
        assertThat(item.matches("Subscribed", Set.of(Tag.of("course", "c1"), Tag.of("student", "s1"), Tag.of("x", "y")))).isTrue();
        assertThat(item.matches("Subscribed", Set.of(Tag.of("course", "c1")))).isFalse();
        assertThat(item.matches("Cancelled", Set.of(Tag.of("course", "c1"), Tag.of("student", "s1")))).isFalse();
        assertThat(QueryItem.tagged(Tag.of("course", "c1")).matches("Anything", Set.of(Tag.of("course", "c1")))).isTrue();
        assertThat(QueryItem.ofTypes("Cancelled").matches("Cancelled", Set.of())).isTrue();
    }

    @Test
    void refusesQueriesThatSelectNothingOrEverything() {
        assertThatThrownBy(() -> new EventQuery(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QueryItem(Set.of(), Set.of())).isInstanceOf(IllegalArgumentException.class);
    }

    static LongStream seeds() {
        long base = Long.getLong("annals.seed", System.nanoTime());
        return LongStream.range(0, 200).map(i -> base + i);
    }

    /** The query's matching against a plain reading of the specification, on random queries and events. */
    @ParameterizedTest
    @MethodSource("seeds")
    void matchesAsTheSpecificationReads(long seed) {
        var random = new Random(seed);
        EventQuery query = randomQuery(random);
        for (int i = 0; i < 50; i++) {
            String type = TYPES.get(random.nextInt(TYPES.size()));
            Set<Tag> tags = subset(random, TAGS);
            assertThat(query.matches(type, tags))
                    .as("seed %d: %s against %s %s", seed, query, type, tags)
                    .isEqualTo(oracle(query, type, tags));
        }
    }

    private static boolean oracle(EventQuery query, String type, Set<Tag> tags) {
        return query.items().stream().anyMatch(item ->
                (item.types().isEmpty() || item.types().stream().anyMatch(type::equals))
                        && item.tags().stream().allMatch(required -> tags.stream().anyMatch(required::equals)));
    }

    private static EventQuery randomQuery(Random random) {
        List<QueryItem> items = new ArrayList<>();
        int count = 1 + random.nextInt(3);
        while (items.size() < count) {
            Set<String> types = subset(random, TYPES);
            Set<Tag> tags = subset(random, TAGS);
            if (!types.isEmpty() || !tags.isEmpty()) {
                items.add(new QueryItem(types, tags));
            }
        }
        return new EventQuery(items);
    }

    private static <T> Set<T> subset(Random random, List<T> from) {
        Set<T> chosen = new HashSet<>();
        for (T candidate : from) {
            if (random.nextInt(3) == 0) {
                chosen.add(candidate);
            }
        }
        return chosen;
    }
}
