package io.annals.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.property.Property;
import io.annals.server.cli.LoadTraffic.Choice;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadTrafficTest {

    /** The choices of a run whose registrations answer at once, slot after slot, as the pacer takes them. */
    private static List<Choice> run(long seed, int users, long slots, boolean idleUsers) {
        var traffic = new LoadTraffic(seed, users);
        var choices = new ArrayList<Choice>();
        int registered = 0;
        for (long slot = 0; slot < slots; ) {
            Choice choice = traffic.next(registered, idleUsers, slots - slot);
            assertThat(choice).as("a registered user is there to act on").isNotNull();
            choices.add(choice);
            slot += choice.requests;
            if (choice == Choice.REGISTER) {
                registered++;
            }
        }
        return choices;
    }

    @Test
    void everySlotSendsOneRequestNoMoreUsersRegisterThanAskedAndBurstsNeverRunPastTheEnd() {
        Property.check(200, draw -> {
            int users = draw.intBetween(1, 50);
            long slots = draw.longBetween(1, 2_000);
            List<Choice> choices = run(draw.anyLong(), users, slots, draw.percent(80));

            assertThat(choices.stream().mapToLong(choice -> choice.requests).sum()).isEqualTo(slots);
            assertThat(choices.getFirst()).isEqualTo(Choice.REGISTER);
            assertThat(choices.stream().filter(choice -> choice == Choice.REGISTER).count()).isBetween(1L, Math.min(users, slots));
            if (slots >= 200L * users) {
                // half the calls register while some are left: far more slots than users leaves none unregistered
                assertThat(choices.stream().filter(choice -> choice == Choice.REGISTER).count()).isEqualTo(users);
            }
        });
    }

    @Test
    void onceUsersHaveRegisteredTheMixHasEveryKindOfCallAndBurstsOfThreeFailures() {
        Map<Choice, Integer> counts = new EnumMap<>(Choice.class);
        run(7, 100, 20_000, true).forEach(choice -> counts.merge(choice, 1, Integer::sum));

        assertThat(counts.get(Choice.REGISTER)).isEqualTo(100);
        // of about 18,200 choices after the registrations (a burst takes three slots): 75%, 10%, 10%, 5%
        assertThat(counts.get(Choice.LOGIN)).isBetween(13_000, 14_300);
        assertThat(counts.get(Choice.FAILED_LOGIN)).isBetween(1_500, 2_150);
        assertThat(counts.get(Choice.CHANGE_EMAIL)).isBetween(1_500, 2_150);
        assertThat(counts.get(Choice.FAILED_BURST)).isBetween(700, 1_100);
        assertThat(Choice.FAILED_BURST.requests).isEqualTo(3);
    }

    @Test
    void theSeedOfLoadCommandTestGivesBurstsInItsSixtyRequests() {
        assertThat(run(42, 8, 60, true)).contains(Choice.FAILED_BURST, Choice.CHANGE_EMAIL, Choice.FAILED_LOGIN);
    }

    @Test
    void withoutAnIdleUserTheExclusiveCallsBecomeLoginsAndWithoutAnyUserThePacerIsToldToWait() {
        assertThat(run(11, 5, 5_000, false)).doesNotContain(Choice.CHANGE_EMAIL, Choice.FAILED_BURST);

        var traffic = new LoadTraffic(3, 1);
        assertThat(traffic.next(0, false, 10)).isEqualTo(Choice.REGISTER);
        assertThat(traffic.next(0, false, 9)).isNull();
        assertThat(traffic.next(1, true, 9)).isNotNull().isNotEqualTo(Choice.REGISTER);
    }
}
