package io.annals.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class StreamIdTest {

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
}
