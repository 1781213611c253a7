package io.annals.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private final Settings node = Settings.of(Map.of(
            "projections.poll-interval", "2s", "projections.batch", " 50 ", "projections.replay", "true",
            "projections.blank", "  ", "projections.bad", "soon", "other.batch", "7"));

    @Test
    void aModuleReadsItsOwnKeysUnderItsName() {
        Settings module = node.scope("projections");

        assertThat(module.duration("poll-interval", Duration.ZERO)).isEqualTo(Duration.ofSeconds(2));
        assertThat(module.integer("batch", 1)).isEqualTo(50);
        assertThat(module.flag("replay", false)).isTrue();
        assertThat(module.get("blank")).isEmpty();
        assertThat(module.integer("missing", 3)).isEqualTo(3);
        assertThat(node.scope("other").integer("batch", 1)).isEqualTo(7);
        assertThat(module.get("other.batch")).isEmpty();
    }

    @Test
    void aValueThatCannotBeReadNamesItsFullKey() {
        Settings module = node.scope("projections");

        assertThatThrownBy(() -> module.duration("bad", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("setting projections.bad must be a duration like 500ms, 15s, 2m or PT15S, got 'soon'");
        assertThatThrownBy(() -> module.integer("bad", 0)).hasMessageContaining("projections.bad must be an integer");
        assertThatThrownBy(() -> module.flag("bad", false)).hasMessageContaining("projections.bad must be true or false");
    }

    @Test
    void durationsAreShortFormsOrIso() {
        assertThat(Settings.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Settings.parseDuration("3m")).isEqualTo(Duration.ofMinutes(3));
        assertThat(Settings.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Settings.parseDuration("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> Settings.parseDuration("5 s")).isInstanceOf(IllegalArgumentException.class);
    }
}
