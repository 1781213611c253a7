package io.annals.cep.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.cep.CepEngine;
import io.annals.cep.Contiguity;
import io.annals.cep.Match;
import io.annals.cep.SkipStrategy;
import io.annals.cep.Stage;
import io.annals.event.Metadata;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PatternTextTest {

    static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");
    long sequence;

    RecordedEvent event(String type, String user, int seconds, String data) {
        sequence++;
        return new RecordedEvent(StreamId.of("user", user), sequence, Position.of(sequence), UUID.randomUUID(), type,
                data, Metadata.of("tenant", "t-" + user), T0.plusSeconds(seconds), T0.plusSeconds(seconds));
    }

    @Test
    void the_issue_example_parses_to_the_seed_pattern() {
        var definition = PatternText.parseOne(
                "PATTERN SuspiciousUserActivity: UserLoginFailed{3} WITHIN 5m PARTITION BY userId SKIP PAST LAST");

        assertThat(definition.pattern().name()).isEqualTo("SuspiciousUserActivity");
        assertThat(definition.pattern().within()).isEqualTo(Duration.ofMinutes(5));
        assertThat(definition.pattern().skip()).isEqualTo(SkipStrategy.SKIP_PAST_LAST_EVENT);
        assertThat(definition.partitionBy()).isEqualTo(new PartitionKey.DataField("userId"));
        Stage<RecordedEvent> stage = definition.pattern().stages().getFirst();
        assertThat(stage.min()).isEqualTo(3);
        assertThat(stage.max()).isEqualTo(3);
    }

    @Test
    void a_parsed_pattern_matches_recorded_events_by_type_field_and_key() {
        var definition = PatternText.parseOne("""
                # the seed's example, on the failures with a bad password only
                PATTERN Suspicious: UserLoginFailed{3}[reason = "password"] WITHIN 5m
                    PARTITION BY userId SKIP PAST LAST EVENT
                """);
        var alerts = new ArrayList<Match<RecordedEvent, String>>();
        var engine = CepEngine.builder(definition.pattern(), definition.partitionBy(), (RecordedEvent e) -> e.occurredAt().toEpochMilli())
                .onMatch(alerts::add).build();
        for (int i = 0; i < 4; i++) {
            engine.process(event("UserLoginFailed", "alice", i, "{\"userId\":\"alice\",\"reason\":\"password\"}"));
            engine.process(event("UserLoginFailed", "bob", i, "{\"userId\":\"bob\",\"reason\":\"locked\"}"));
            engine.process(event("UserLoggedIn", "carol", i, "{\"userId\":\"carol\"}"));
        }

        assertThat(alerts).extracting(Match::key).containsExactly("alice");
    }

    @Test
    void arrows_not_counts_and_keys_all_parse() {
        var definitions = PatternText.parse("""
                PATTERN Unconfirmed: UserRegistered -> NOT EmailConfirmed WITHIN 10m PARTITION BY tag.email;
                PATTERN Burst: A >> B{2,} -> C? -> D+ >> NOT E -> F{1,3} WITHIN 90s PARTITION BY metadata.tenant SKIP TO NEXT
                """);

        assertThat(definitions).hasSize(2);
        var unconfirmed = definitions.getFirst().pattern();
        assertThat(unconfirmed.endsWithAbsence()).isTrue();
        assertThat(definitions.getFirst().partitionBy()).isEqualTo(new PartitionKey.TagValue("email"));
        assertThat(unconfirmed.stages().getLast().kind()).isEqualTo(Stage.Kind.NOT_FOLLOWED_BY);
        var burst = definitions.get(1);
        assertThat(burst.partitionBy()).isEqualTo(new PartitionKey.MetadataEntry("tenant"));
        assertThat(burst.pattern().skip()).isEqualTo(SkipStrategy.SKIP_TO_NEXT);
        assertThat(burst.pattern().stages()).extracting(Stage::name).containsExactly("A", "B", "C", "D", "E", "F");
        assertThat(burst.pattern().stages()).extracting(Stage::min).containsExactly(1, 2, 0, 1, 1, 1);
        assertThat(burst.pattern().stages()).extracting(Stage::max)
                .containsExactly(1, Stage.UNBOUNDED, 1, Stage.UNBOUNDED, 1, 3);
        assertThat(burst.pattern().stages()).extracting(Stage::contiguity)
                .containsExactly(Contiguity.RELAXED, Contiguity.STRICT, Contiguity.RELAXED, Contiguity.RELAXED, Contiguity.STRICT,
                        Contiguity.RELAXED);
        assertThat(burst.pattern().stages().get(4).kind()).isEqualTo(Stage.Kind.NOT_NEXT);
    }

    @Test
    void errors_point_at_line_and_column_and_say_what_was_expected() {
        assertThatThrownBy(() -> PatternText.parse("PATTERN P: A{3} WITHIN 5x"))
                .isInstanceOf(PatternSyntaxException.class)
                .hasMessage("line 1, column 25: expected a unit: ms, s, m, h or d, found 'x'");
        assertThatThrownBy(() -> PatternText.parse("PATTERN P: A{3}\n  WITHIN 5m\n  PARTITION userId"))
                .hasMessage("line 3, column 13: expected BY after PARTITION, found 'userId'");
        assertThatThrownBy(() -> PatternText.parse("PATTERN P A"))
                .hasMessage("line 1, column 11: expected ':' after the pattern's name, found 'A'");
        assertThatThrownBy(() -> PatternText.parse("PATTERN P: A -> NOT B"))
                .satisfies(e -> assertThat(((PatternSyntaxException) e).line()).isEqualTo(1))
                .hasMessageContaining("needs within");
        assertThatThrownBy(() -> PatternText.parse("PATTERN P: A{2 WITHIN 5m"))
                .hasMessage("line 1, column 16: expected '}' closing the count, found 'WITHIN'");
        assertThatThrownBy(() -> PatternText.parse("PATTERN P: A & B"))
                .hasMessageStartingWith("line 1, column 14: expected a name, a number or one of");
    }
}
