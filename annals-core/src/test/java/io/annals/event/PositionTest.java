package io.annals.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class PositionTest {

    @Property
    void tokensRoundTrip(@ForAll @LongRange(min = 0) long transaction, @ForAll @LongRange(min = 0) long sequence) {
        var position = new Position(transaction, sequence);
        assertThat(Position.parse(position.toString())).isEqualTo(position);
    }

    @Property
    void tokenOrderIsPositionOrder(@ForAll @LongRange(min = 0) long t1, @ForAll @LongRange(min = 0) long s1,
                                   @ForAll @LongRange(min = 0) long t2, @ForAll @LongRange(min = 0) long s2) {
        var a = new Position(t1, s1);
        var b = new Position(t2, s2);
        assertThat(Integer.signum(a.toString().compareTo(b.toString()))).isEqualTo(Integer.signum(a.compareTo(b)));
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
