package io.annals.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TagTest {

    @Test
    void parsesAtTheFirstColonAndPrintsBack() {
        Tag tag = Tag.parse("url:https://example.com/a");
        assertThat(tag.key()).isEqualTo("url");
        assertThat(tag.value()).isEqualTo("https://example.com/a");
        assertThat(tag).hasToString("url:https://example.com/a");
        assertThat(Tag.parse(tag.toString())).isEqualTo(tag);
    }

    @ParameterizedTest
    @ValueSource(strings = {"novalue", ":value", "key:", "k y:v", "ké:v", "key:line\nbreak", "key:nul\u0000"})
    void refusesMalformedTags(String text) {
        assertThatThrownBy(() -> Tag.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesOverlongKeysAndValuesCountingCharactersNotUnits() {
        assertThatThrownBy(() -> Tag.of("k".repeat(Tag.MAX_KEY_LENGTH + 1), "v")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Tag.of("k".repeat(Tag.MAX_KEY_LENGTH), "v").key()).hasSize(Tag.MAX_KEY_LENGTH);
        String emoji = "\uD83D\uDE00";
        assertThat(Tag.of("k", emoji.repeat(Tag.MAX_VALUE_LENGTH)).value()).hasSize(2 * Tag.MAX_VALUE_LENGTH);
        assertThatThrownBy(() -> Tag.of("k", "v".repeat(Tag.MAX_VALUE_LENGTH + 1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEventsTagsAreSortedWithoutRepeatsAndBounded() {
        EventData event = EventData.of("T", "{}").withTags(Tag.of("b", "1"), Tag.of("a", "2"), Tag.of("b", "1"));
        assertThat(event.tags()).containsExactly(Tag.of("a", "2"), Tag.of("b", "1"));

        List<Tag> tooMany = new ArrayList<>();
        for (int i = 0; i <= Tag.MAX_PER_EVENT; i++) {
            tooMany.add(Tag.of("t", Integer.toString(i)));
        }
        assertThatThrownBy(() -> new EventData(UUID.randomUUID(), "T", "{}", Metadata.EMPTY, null, java.util.Set.copyOf(tooMany)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most " + Tag.MAX_PER_EVENT);
    }

    @Test
    void eventsWithoutTagsKeepTheirShortConstructor() {
        EventData event = new EventData(UUID.randomUUID(), "T", "{}", Metadata.EMPTY, null);
        assertThat(event.tags()).isEmpty();
        assertThat(event.withMetadata(Metadata.of("a", "b")).withTags(Tag.of("x", "y")).withOccurredAt(null).tags())
                .containsExactly(Tag.of("x", "y"));
    }
}
