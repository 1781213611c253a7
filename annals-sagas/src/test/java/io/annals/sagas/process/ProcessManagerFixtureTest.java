package io.annals.sagas.process;

import io.annals.sagas.process.AccountGuard.LockAccount;
import io.annals.sagas.process.AccountGuard.State;
import io.annals.sagas.process.AccountGuard.SuspiciousUserActivityDetected;
import io.annals.sagas.process.AccountGuard.UnlockAccount;
import io.annals.sagas.process.AccountGuard.UnlockDue;
import io.annals.sagas.testing.ProcessManagerFixture;
import io.annals.sagas.testing.ProcessManagerFixture.ScheduledDeadline;
import java.time.Duration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessManagerFixtureTest {

    private final ProcessManagerFixture<State, AccountGuard.Input> fixture =
            ProcessManagerFixture.of(new AccountGuard(Duration.ofMinutes(15)));

    @Test
    void suspiciousActivityLocksNotifiesAndSetsTheUnlockDeadline() {
        fixture.givenNothing()
                .when(new SuspiciousUserActivityDetected("u-1", "5 failed logins"))
                .thenCommands(new LockAccount("u-1", "5 failed logins"))
                .thenMessages(new Reaction.Message("email", "AccountLocked", "{\"userId\":\"u-1\"}"))
                .thenDeadlinesScheduled(new ScheduledDeadline("unlock", Duration.ofMinutes(15), new UnlockDue("u-1")))
                .thenState(state -> assertThat(state).isEqualTo(new State(true, 1)));
    }

    @Test
    void theDeadlineFiresOnlyWhenItsTimeHasCome() {
        fixture.given(new SuspiciousUserActivityDetected("u-1", "5 failed logins"))
                .whenTimeElapses(Duration.ofMinutes(14))
                .thenNoCommands()
                .thenPendingDeadlines("unlock")
                .whenTimeElapses(Duration.ofMinutes(1))
                .thenDeadlinesFired("unlock")
                .thenCommands(new UnlockAccount("u-1"))
                .thenPendingDeadlines()
                .thenState(state -> assertThat(state.locked()).isFalse());
    }

    @Test
    void moreSuspiciousActivityWhileLockedPushesTheUnlockBack() {
        fixture.given(new SuspiciousUserActivityDetected("u-1", "5 failed logins"))
                .whenTimeElapses(Duration.ofMinutes(10))
                .when(new SuspiciousUserActivityDetected("u-1", "login from a new country"))
                .thenNoCommands()
                .thenDeadlinesCancelled("unlock")
                .thenDeadlinesScheduled(new ScheduledDeadline("unlock", Duration.ofMinutes(15), new UnlockDue("u-1")))
                .whenTimeElapses(Duration.ofMinutes(10))
                .thenNoCommands()
                .whenTimeElapses(Duration.ofMinutes(5))
                .thenCommands(new UnlockAccount("u-1"));
    }

    @Test
    void aFailedExpectationSaysWhatWasExpectedAndWhatCame() {
        assertThatThrownBy(() -> fixture.givenNothing()
                .when(new SuspiciousUserActivityDetected("u-1", "x"))
                .thenCommands(new UnlockAccount("u-1")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected commands")
                .hasMessageContaining("LockAccount[userId=u-1, reason=x]");
    }
}
