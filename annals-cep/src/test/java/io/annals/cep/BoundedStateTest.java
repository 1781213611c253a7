package io.annals.cep;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** State expires with its window, per-key and total caps drop the oldest, idle keys cost nothing. */
class BoundedStateTest {

    record Failed(int user, long time) {
    }

    record Registered(int user, long time) {
    }

    record Confirmed(int user, long time) {
    }

    static Pattern<Object> threeFailures(SkipStrategy skip) {
        return Pattern.<Object, Failed>begin("failures", Failed.class).times(3).within(Duration.ofMinutes(5)).skip(skip).named("p");
    }

    @Test
    void a_million_keys_with_partial_matches_shrink_back_to_nothing_once_their_windows_pass() {
        var matches = new ArrayList<Match<Object, Integer>>();
        var engine = CepEngine.builder(threeFailures(SkipStrategy.SKIP_PAST_LAST_EVENT), (Object e) -> ((Failed) e).user(),
                (Object e) -> ((Failed) e).time()).onMatch(matches::add).build();
        int keys = 1_000_000;
        for (int round = 0; round < 2; round++) {
            for (int user = 0; user < keys; user++) {
                engine.process(new Failed(user, round * 1000L + user / 1000));
            }
        }
        assertThat(engine.metrics().keys()).isEqualTo(keys);
        assertThat(engine.metrics().partialMatches()).isEqualTo(2L * keys);

        engine.advanceWatermark(3_000 + Duration.ofMinutes(5).toMillis());

        assertThat(matches).isEmpty();
        assertThat(engine.metrics().keys()).isZero();
        assertThat(engine.metrics().partialMatches()).isZero();
        assertThat(engine.metrics().droppedPartialMatches()).isZero();
    }

    @Test
    void absences_for_a_million_keys_are_reported_and_leave_nothing_behind() {
        Pattern<Object> unconfirmed = Pattern.<Object, Registered>begin("registered", Registered.class)
                .notFollowedBy("confirmed", Confirmed.class)
                .within(Duration.ofMinutes(10))
                .named("unconfirmed");
        long[] reported = {0};
        var engine = CepEngine.builder(unconfirmed, (Object e) -> e instanceof Registered r ? r.user() : ((Confirmed) e).user(),
                (Object e) -> e instanceof Registered r ? r.time() : ((Confirmed) e).time()).onMatch(m -> reported[0]++).build();
        int keys = 1_000_000;
        for (int user = 0; user < keys; user++) {
            engine.process(new Registered(user, user));
            if (user % 3 == 0) {
                engine.process(new Confirmed(user, user));
            }
        }
        engine.advanceWatermark(Long.MAX_VALUE);

        assertThat(reported[0]).isEqualTo(keys - (keys + 2) / 3);
        assertThat(engine.metrics().keys()).isZero();
        assertThat(engine.metrics().partialMatches()).isZero();
    }

    @Test
    void the_per_key_cap_drops_the_oldest_partial_match_and_counts_it() {
        Pattern<Object> pattern = Pattern.<Object, Failed>begin("failures", Failed.class).times(5).within(Duration.ofMinutes(5)).named("p");
        var matches = new ArrayList<Match<Object, Integer>>();
        var engine = CepEngine.builder(pattern, (Object e) -> ((Failed) e).user(), (Object e) -> ((Failed) e).time())
                .limits(new CepLimits(2, 100)).onMatch(matches::add).build();
        for (int i = 0; i < 6; i++) {
            engine.process(new Failed(1, i));
        }
        assertThat(engine.metrics().partialMatches()).isEqualTo(2);
        assertThat(engine.metrics().droppedPartialMatches()).isEqualTo(4);
        assertThat(matches).isEmpty();
    }

    @Test
    void the_total_cap_drops_from_the_least_recently_active_key() {
        Pattern<Object> pattern = Pattern.<Object, Failed>begin("failures", Failed.class)
                .followedBy("again", Failed.class).where((f, soFar) -> f.time() > 0)
                .within(Duration.ofMinutes(5)).named("p");
        List<Match<Object, Integer>> matches = new ArrayList<>();
        var engine = CepEngine.builder(pattern, (Object e) -> ((Failed) e).user(), (Object e) -> ((Failed) e).time())
                .limits(new CepLimits(10, 3)).onMatch(matches::add).build();
        for (int user = 0; user < 5; user++) {
            engine.process(new Failed(user, 0));
        }
        assertThat(engine.metrics().partialMatches()).isEqualTo(3);
        assertThat(engine.metrics().droppedPartialMatches()).isEqualTo(2);
        engine.process(new Failed(0, 1));
        engine.process(new Failed(4, 1));
        // user 0 lost its first failure to the cap; user 4, active last, kept it
        assertThat(matches).extracting(Match::key).containsExactly(4);
        assertThat(engine.metrics().droppedPartialMatches()).isEqualTo(3);
    }
}
