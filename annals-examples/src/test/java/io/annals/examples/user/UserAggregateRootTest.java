package io.annals.examples.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.examples.user.UserEvent.UserEmailChanged;
import io.annals.examples.user.UserEvent.UserRegistered;
import io.annals.testing.AggregateRootFixture;
import org.junit.jupiter.api.Test;

class UserAggregateRootTest {

    private final AggregateRootFixture<User, UserEvent> user = AggregateRootFixture.of(User::new);
    private final UserRegistered registered = new UserRegistered("u1", "ann@example.com", "Ann");

    @Test
    void registers() {
        user.givenNoPriorEvents()
                .when(u -> u.register("u1", "Ann@Example.com", "Ann"))
                .thenEvents(registered)
                .thenState(u -> {
                    assertThat(u.id()).isEqualTo("u1");
                    assertThat(u.isActive()).isTrue();
                    assertThat(u.version()).isEqualTo(-1);
                });
    }

    @Test
    void changesTheEmailAndTracksTheVersionOfItsHistory() {
        user.given(registered)
                .when(u -> u.changeEmail("new@example.com"))
                .thenEvents(new UserEmailChanged("u1", "ann@example.com", "new@example.com"))
                .thenState(u -> {
                    assertThat(u.email()).isEqualTo("new@example.com");
                    assertThat(u.version()).isZero();
                });
    }

    @Test
    void anUnchangedEmailCausesNoEvent() {
        user.given(registered).when(u -> u.changeEmail("ann@example.com")).thenNoEvents();
    }

    @Test
    void rejectsAnInvalidEmailAndRecordsNothing() {
        user.given(registered).when(u -> u.changeEmail("not-an-email")).thenError(UserException.InvalidEmail.class);
    }

    @Test
    void refusesASecondRegistration() {
        user.given(registered).when(u -> u.register("u1", "x@example.com", "X")).thenError(UserException.AlreadyRegistered.class);
    }
}
