package io.annals.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.StreamId;
import io.annals.event.Tag;
import io.annals.property.Property;
import io.annals.store.Append;
import io.annals.store.AppendCondition;
import io.annals.store.AppendConditionFailedException;
import io.annals.store.EventQuery;
import io.annals.store.ExpectedVersion;
import io.annals.store.QueryItem;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's bounds of tag positions may only ever spare a check that would have found nothing. */
class TagPositionsTest {

    @TempDir
    Path directory;

    private static AppendCondition after(long position, Tag... tags) {
        return new AppendCondition(EventQuery.tagged(tags), Position.of(position));
    }

    @Test
    void aForgottenTagIsBoundedByTheLargestBoundForgotten() {
        var positions = new TagPositions(2);
        positions.reset(3);
        Tag a = Tag.of("t", "a");
        Tag b = Tag.of("t", "b");
        Tag c = Tag.of("t", "c");
        assertThat(positions.excludes(after(3, a))).isTrue();
        assertThat(positions.excludes(after(2, a))).isFalse();

        positions.written(a, 5);
        positions.written(b, 6);
        positions.written(c, 7);   // a is forgotten: every unknown tag is now bounded by 5

        assertThat(positions.excludes(after(4, a))).isFalse();
        assertThat(positions.excludes(after(5, a))).isTrue();
        assertThat(positions.excludes(after(5, Tag.of("t", "never")))).isTrue();
        assertThat(positions.excludes(after(6, c))).isFalse();
        assertThat(positions.excludes(after(6, b))).isTrue();
        // an item is spared by any one of its tags; a query only when every item is
        assertThat(positions.excludes(after(6, b, c))).isTrue();
        assertThat(positions.excludes(new AppendCondition(EventQuery.tagged(b).or(QueryItem.tagged(c)), Position.of(6)))).isFalse();
        assertThat(positions.excludes(new AppendCondition(EventQuery.of(QueryItem.ofTypes("T")), Position.of(100)))).isFalse();
    }

    @Test
    void neverExcludesWhatAnOracleOfEveryWrittenPositionWouldFind() {
        Property.check(200, draw -> {
            var positions = new TagPositions(draw.intBetween(1, 4));
            long start = draw.intBetween(0, 5);
            positions.reset(start);
            var lastOf = new HashMap<Tag, Long>();
            List<Tag> tags = List.of(Tag.of("t", "a"), Tag.of("t", "b"), Tag.of("t", "c"), Tag.of("t", "d"), Tag.of("t", "e"));
            long position = start;
            int writes = draw.intBetween(0, 30);
            for (int i = 0; i < writes; i++) {
                position += draw.intBetween(0, 2) == 0 ? -draw.intBetween(0, 3) : 1;   // a rollback reuses positions
                position = Math.max(position, start + 1);
                Tag tag = draw.pick(tags);
                positions.written(tag, position);
                lastOf.merge(tag, position, Math::max);
            }
            for (Tag tag : tags) {
                long last = lastOf.getOrDefault(tag, 0L);
                for (long after = 0; after <= position + 1; after++) {
                    if (last > after) {
                        assertThat(positions.excludes(after(after, tag))).as("%s last at %d, after %d", tag, last, after).isFalse();
                    }
                }
            }
        });
    }

    @Test
    void afterReopeningTheStoreAConditionStillSeesTheTagsWrittenBefore() {
        Path file = directory.resolve("tags.db");
        Tag email = Tag.of("email", "ada@example.com");
        try (var store = SqliteEventStore.open(file)) {
            store.append(StreamId.of("user-1"), ExpectedVersion.noStream(), List.of(EventData.of("Registered", "{}").withTags(email)));
        }
        try (var store = SqliteEventStore.open(file)) {
            assertThatThrownBy(() -> store.append(Append.to(StreamId.of("user-2"), ExpectedVersion.noStream(),
                    List.of(EventData.of("Registered", "{}").withTags(email)))
                    .onlyIf(AppendCondition.noneMatching(EventQuery.tagged(email)))))
                    .isInstanceOf(AppendConditionFailedException.class);
        }
    }
}
