package io.annals.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExpectedVersionTest {

    @Test
    void parsesTheWireForms() {
        assertThat(ExpectedVersion.parse("any")).isEqualTo(ExpectedVersion.any());
        assertThat(ExpectedVersion.parse("no-stream")).isEqualTo(ExpectedVersion.noStream());
        assertThat(ExpectedVersion.parse("stream-exists")).isEqualTo(ExpectedVersion.streamExists());
        assertThat(ExpectedVersion.parse("17")).isEqualTo(ExpectedVersion.exact(17));
        for (String form : new String[] {"any", "no-stream", "stream-exists", "17"}) {
            assertThat(ExpectedVersion.parse(form).toString()).isEqualTo(form);
        }
    }

    @Test
    void refusesAnythingElse() {
        for (String bad : new String[] {"", "-1", "+1", "\u0661", "1 ", "ANY", "1.5", "99999999999999999999", "exists"}) {
            assertThatThrownBy(() -> ExpectedVersion.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void decidesWhichStreamStatesSatisfyIt() {
        assertThat(ExpectedVersion.any().isSatisfiedBy(-1)).isTrue();
        assertThat(ExpectedVersion.noStream().isSatisfiedBy(-1)).isTrue();
        assertThat(ExpectedVersion.noStream().isSatisfiedBy(0)).isFalse();
        assertThat(ExpectedVersion.streamExists().isSatisfiedBy(-1)).isFalse();
        assertThat(ExpectedVersion.streamExists().isSatisfiedBy(3)).isTrue();
        assertThat(ExpectedVersion.exact(3).isSatisfiedBy(3)).isTrue();
        assertThat(ExpectedVersion.exact(3).isSatisfiedBy(2)).isFalse();
        assertThat(ExpectedVersion.after(-1)).isEqualTo(ExpectedVersion.noStream());
        assertThat(ExpectedVersion.after(4)).isEqualTo(ExpectedVersion.exact(4));
    }
}
