package io.annals.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
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

    @Property
    void isValidAgreesWithTheConstructor(@ForAll String candidate) {
        boolean constructed;
        try {
            StreamId.of(candidate);
            constructed = true;
        } catch (IllegalArgumentException e) {
            constructed = false;
        }
        assertThat(StreamId.isValid(candidate)).isEqualTo(constructed);
    }

    @Property(tries = 2_000)
    void acceptsExactlyTheDocumentedPattern(@ForAll("nearlyValid") String candidate) {
        assertThat(StreamId.isValid(candidate)).isEqualTo(DOCUMENTED.matcher(candidate).matches());
    }

    /** Mostly allowed characters, some of their neighbours in ASCII and beyond, at lengths around the limit. */
    @Provide
    Arbitrary<String> nearlyValid() {
        return Arbitraries.strings()
                .withChars("aZ09._:@-")
                .withChars("/ \u00e9+`{[")
                .withCharRange('!', '~')
                .ofMinLength(0).ofMaxLength(StreamId.MAX_LENGTH + 2);
    }
}
