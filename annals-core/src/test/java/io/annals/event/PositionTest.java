package io.annals.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.property.Property;
import org.junit.jupiter.api.Test;

class PositionTest {

    @Test
    void tokensRoundTrip() {
        Property.check(1_000, draw -> {
            var position = new Position(draw.longBetween(0, Long.MAX_VALUE), draw.longBetween(0, Long.MAX_VALUE));
            assertThat(Position.parse(position.toString())).isEqualTo(position);
        });
    }

    @Test
    void tokenOrderIsPositionOrder() {
        Property.check(1_000, draw -> {
            var a = new Position(draw.longBetween(0, Long.MAX_VALUE), draw.longBetween(0, Long.MAX_VALUE));
            var b = new Position(draw.longBetween(0, Long.MAX_VALUE), draw.longBetween(0, Long.MAX_VALUE));
            assertThat(Integer.signum(a.toString().compareTo(b.toString()))).isEqualTo(Integer.signum(a.compareTo(b)));
        });
    }

    @Test
    void malformedTokensAreRefused() {
        for (String bad : new String[] {"", "1", "zz", "0".repeat(31), "G".repeat(32), "ffffffffffffffff0000000000000000",
                "0000000000000000000000000000000A"}) {
            assertThatThrownBy(() -> Position.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Position.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void startIsBeforeEverything() {
        assertThat(Position.START).isLessThan(Position.of(1)).isLessThan(new Position(1, 0));
    }
}
