package io.annals.cep.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.node.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CepConfigTest {

    static final String SEED = "PATTERN SuspiciousUserActivity: UserLoginFailed{3} WITHIN 5m PARTITION BY userId SKIP PAST LAST";

    static CepConfig read(Map<String, String> values) {
        return CepConfig.from(Settings.of(values).scope("cep"));
    }

    @Test
    void defaultsApplyAndEveryKeyIsRead() {
        var defaults = read(Map.of("cep.patterns", SEED));
        assertThat(defaults.patterns()).extracting(p -> p.pattern().name()).containsExactly("SuspiciousUserActivity");
        assertThat(defaults.input().isAll()).isTrue();
        assertThat(defaults.lateness()).isEqualTo(CepConfig.DEFAULT_LATENESS);
        assertThat(defaults.tick()).isEqualTo(CepConfig.DEFAULT_TICK);
        assertThat(defaults.checkpointEvery()).isEqualTo(CepConfig.DEFAULT_CHECKPOINT_EVERY);

        var set = read(Map.of("cep.patterns", SEED + "\nPATTERN Other: A -> B WITHIN 1m", "cep.streams", "user-",
                "cep.lateness", "30s", "cep.tick", "250ms", "cep.checkpoint-every", "10",
                "cep.max-partial-matches-per-key", "5", "cep.max-partial-matches", "100"));
        assertThat(set.patterns()).hasSize(2);
        assertThat(set.input().streamPrefix()).isEqualTo("user-");
        assertThat(set.lateness()).isEqualTo(Duration.ofSeconds(30));
        assertThat(set.tick()).isEqualTo(Duration.ofMillis(250));
        assertThat(set.checkpointEvery()).isEqualTo(10);
        assertThat(set.limits().maxPartialMatchesPerKey()).isEqualTo(5);
        assertThat(set.limits().maxPartialMatches()).isEqualTo(100);
    }

    @Test
    void patternsComeFromAFile(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("p.cep"), "# comment\n" + SEED + "\n");
        assertThat(read(Map.of("cep.patterns-file", file.toString())).patterns()).hasSize(1);
    }

    @Test
    void patternsMayBeLeftOutOnlyWhenTheApplicationHandsItsOwn() {
        assertThat(CepConfig.from(Settings.of(Map.of("cep.lateness", "2s")).scope("cep"), false).patterns()).isEmpty();
        assertThat(CepConfig.from(Settings.of(Map.of("cep.patterns", SEED)).scope("cep"), false).patterns()).hasSize(1);
        assertThatThrownBy(() -> read(Map.of("cep.lateness", "2s"))).hasMessageContaining("needs its patterns");
    }

    @Test
    void mistakesNameTheKey() {
        assertThatThrownBy(() -> read(Map.of("cep.patterns", "# nothing"))).hasMessageContaining("cep.patterns holds no PATTERN");
        assertThatThrownBy(() -> read(Map.of("cep.patterns", "PATTERN A: X{3} WITHIN"))).hasMessageStartingWith("setting cep.patterns: line 1");
        assertThatThrownBy(() -> read(Map.of("cep.patterns", SEED, "cep.lateness", "-1s"))).hasMessageContaining("cep.lateness");
        assertThatThrownBy(() -> read(Map.of("cep.patterns", SEED, "cep.checkpoint-every", "0"))).hasMessageContaining("cep.checkpoint-every");
        assertThatThrownBy(() -> read(Map.of("cep.patterns", SEED, "cep.max-partial-matches", "0")))
                .hasMessageContaining("cep.max-partial-matches");
        assertThatThrownBy(() -> read(Map.of("cep.patterns", "PATTERN Caf\u00e9$: A{2}")))
                .hasMessageContaining("letters, digits and . _ : @ only");
    }
}
