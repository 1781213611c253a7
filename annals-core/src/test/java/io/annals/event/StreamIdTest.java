package io.annals.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.property.Draw;
import io.annals.property.Property;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StreamIdTest {

    private static final Pattern DOCUMENTED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0," + (StreamId.MAX_LENGTH - 1) + "}");

    @Test
    void acceptsTheDocumentedCharacterSet() {
        assertThat(StreamId.of("user-42").category()).isEqualTo("user");
        assertThat(StreamId.of("Order_7.v2:eu@tenant").category()).isEqualTo("Order_7.v2:eu@tenant");
        assertThat(StreamId.of("a".repeat(StreamId.MAX_LENGTH)).value()).hasSize(StreamId.MAX_LENGTH);
        assertThat(StreamId.of("user", 42)).isEqualTo(StreamId.of("user-42"));
    }

    @Test
    void refusesEverythingElseWithAReason() {
        assertThatThrownBy(() -> StreamId.of("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> StreamId.of("a".repeat(StreamId.MAX_LENGTH + 1))).hasMessageContaining("at most");
        assertThatThrownBy(() -> StreamId.of("-leading")).hasMessageContaining("start");
        assertThatThrownBy(() -> StreamId.of("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamId.of(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void isValidAgreesWithTheConstructor() {
        Property.check(1_000, draw -> {
            String candidate = draw.string(0, 255, draw::anyChar);
            boolean constructed;
            try {
                StreamId.of(candidate);
                constructed = true;
            } catch (IllegalArgumentException e) {
                constructed = false;
            }
            assertThat(StreamId.isValid(candidate)).isEqualTo(constructed);
        });
    }

    @Test
    void acceptsExactlyTheDocumentedPattern() {
        Property.check(2_000, draw -> {
            String candidate = nearlyValid(draw);
            assertThat(StreamId.isValid(candidate)).isEqualTo(DOCUMENTED.matcher(candidate).matches());
        });
    }

    /**
     * Mostly allowed characters, some of their neighbours in ASCII and beyond, at lengths around
     * the limit; one string in three of allowed characters only, so that the length limit is met
     * by strings that are otherwise valid.
     */
    private static String nearlyValid(Draw draw) {
        if (draw.percent(33)) {
            return draw.string(0, StreamId.MAX_LENGTH + 2, () -> draw.charFrom("aZ09._:@-"));
        }
        return draw.string(0, StreamId.MAX_LENGTH + 2, () -> draw.weighted(new int[] {9, 7, 94}, List.of(
                () -> draw.charFrom("aZ09._:@-"),
                () -> draw.charFrom("/ \u00e9+`{["),
                () -> (char) draw.intBetween('!', '~'))));
    }
}
