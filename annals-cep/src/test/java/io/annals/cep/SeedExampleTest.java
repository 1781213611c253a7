package io.annals.cep;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed's example: three failed logins of one user within five minutes. */
class SeedExampleTest {

    sealed interface LoginEvent permits UserLoginFailed, UserLoggedIn {
        String userId();

        Instant at();
    }

    record UserLoginFailed(String userId, Instant at) implements LoginEvent {
    }

    record UserLoggedIn(String userId, Instant at) implements LoginEvent {
    }

    static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    static final Pattern<LoginEvent> SUSPICIOUS = Pattern.<LoginEvent, UserLoginFailed>begin("failures", UserLoginFailed.class)
            .times(3)
            .within(Duration.ofMinutes(5))
            .skip(SkipStrategy.SKIP_PAST_LAST_EVENT)
            .named("SuspiciousUserActivity");

    final List<Match<LoginEvent, String>> alerts = new ArrayList<>();
    final CepEngine<LoginEvent, String> engine = CepEngine.builder(SUSPICIOUS, LoginEvent::userId, (LoginEvent e) -> e.at().toEpochMilli())
            .onMatch(alerts::add)
            .build();

    static UserLoginFailed failed(String user, int seconds) {
        return new UserLoginFailed(user, T0.plusSeconds(seconds));
    }

    @Test
    void three_failures_within_five_minutes_alert_once_and_the_same_failures_never_again() {
        engine.process(failed("alice", 0));
        engine.process(new UserLoggedIn("bob", T0.plusSeconds(10)));
        engine.process(failed("alice", 60));
        engine.process(failed("bob", 61));
        engine.process(failed("alice", 300));
        engine.process(failed("alice", 301));
        engine.process(failed("alice", 302));
        engine.advanceWatermark(Long.MAX_VALUE);

        assertThat(alerts).hasSize(1);
        Match<LoginEvent, String> alert = alerts.getFirst();
        assertThat(alert.key()).isEqualTo("alice");
        assertThat(alert.events()).containsExactly(failed("alice", 0), failed("alice", 60), failed("alice", 300));
        assertThat(engine.metrics().partialMatches()).isZero();
        assertThat(engine.metrics().keys()).isZero();
    }

    @Test
    void a_fourth_to_sixth_failure_alert_again_with_new_failures_only() {
        for (int i = 0; i < 6; i++) {
            engine.process(failed("alice", i * 10));
        }
        assertThat(alerts).extracting(match -> match.events().size()).containsExactly(3, 3);
        assertThat(alerts.get(1).events()).containsExactly(failed("alice", 30), failed("alice", 40), failed("alice", 50));
    }

    @Test
    void three_failures_spread_over_six_minutes_alert_nothing() {
        engine.process(failed("alice", 0));
        engine.process(failed("alice", 180));
        engine.process(failed("alice", 360));
        engine.advanceWatermark(Long.MAX_VALUE);

        assertThat(alerts).isEmpty();
        assertThat(engine.metrics().keys()).isZero();
    }

    @Test
    void five_minutes_is_inclusive_from_first_to_last() {
        engine.process(failed("alice", 0));
        engine.process(failed("alice", 100));
        engine.process(failed("alice", 300));
        engine.process(failed("bob", 0));
        engine.process(failed("bob", 100));
        engine.process(new UserLoginFailed("bob", T0.plusMillis(300_001)));

        assertThat(alerts).extracting(Match::key).containsExactly("alice");
    }

    @Test
    void failures_out_of_order_within_the_lateness_match_as_if_in_order() {
        var late = new ArrayList<LoginEvent>();
        var tolerant = CepEngine.builder(SUSPICIOUS, LoginEvent::userId, (LoginEvent e) -> e.at().toEpochMilli())
                .allowedLateness(Duration.ofSeconds(30))
                .onMatch(alerts::add)
                .onLate(late::add)
                .build();
        tolerant.process(failed("alice", 100));
        tolerant.process(failed("alice", 80));
        tolerant.process(failed("alice", 125));
        tolerant.process(failed("alice", 60));
        assertThat(alerts).isEmpty();
        tolerant.advanceWatermark(Long.MAX_VALUE);

        assertThat(late).containsExactly(failed("alice", 60));
        assertThat(tolerant.metrics().lateEvents()).isEqualTo(1);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.getFirst().events()).containsExactly(failed("alice", 80), failed("alice", 100), failed("alice", 125));
    }
}
