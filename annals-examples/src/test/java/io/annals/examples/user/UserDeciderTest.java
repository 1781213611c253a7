package io.annals.examples.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.examples.user.UserCommand.ChangeEmail;
import io.annals.examples.user.UserCommand.RegisterUser;
import io.annals.examples.user.UserEvent.UserEmailChanged;
import io.annals.examples.user.UserEvent.UserRegistered;
import io.annals.examples.user.UserState.Registered;
import io.annals.testing.DeciderFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserDeciderTest {

    private final DeciderFixture<UserCommand, UserState, UserEvent> user = DeciderFixture.of(new UserDecider());
    private final UserRegistered registered = new UserRegistered("u1", "ann@example.com", "Ann");

    @Test
    void registersANewUserWithANormalizedEmail() {
        user.givenNoPriorEvents()
                .when(new RegisterUser("u1", "  Ann@Example.COM ", " Ann "))
                .thenEvents(registered)
                .thenState(new Registered("u1", "ann@example.com", "Ann", true));
    }

    @Test
    void refusesToRegisterTheSameUserTwice() {
        user.given(registered)
                .when(new RegisterUser("u1", "other@example.com", "Other"))
                .thenError(UserException.AlreadyRegistered.class, e -> assertThat(e.code()).isEqualTo("user-already-registered"));
    }

    @Test
    void changesTheEmail() {
        user.given(registered)
                .when(new ChangeEmail("u1", "ann@new.example"))
                .thenEvents(new UserEmailChanged("u1", "ann@example.com", "ann@new.example"))
                .thenState(state -> assertThat(((Registered) state).email()).isEqualTo("ann@new.example"));
    }

    @Test
    void anUnchangedEmailCausesNoEvent() {
        user.given(registered).when(new ChangeEmail("u1", "ANN@example.com")).thenNoEvents();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "ann", "ann@", "@example.com", "ann@example", "ann@@example.com",
            "ann example@example.com", "ann..x@example.com", ".ann@example.com", "ann@-example.com", "ann@example..com"})
    void rejectsInvalidEmails(String email) {
        user.given(registered).when(new ChangeEmail("u1", email)).thenError(UserException.InvalidEmail.class);
        user.givenNoPriorEvents().when(new RegisterUser("u2", email, "Bob")).thenError(UserException.InvalidEmail.class);
    }

    @Test
    void rejectsAMissingEmailAndAnOverlongOne() {
        user.given(registered).when(new ChangeEmail("u1", null)).thenError(UserException.InvalidEmail.class);
        String tooLong = "a".repeat(250) + "@example.com";
        user.given(registered).when(new ChangeEmail("u1", tooLong)).thenError(UserException.InvalidEmail.class);
    }

    @Test
    void rejectsABlankName() {
        user.givenNoPriorEvents().when(new RegisterUser("u1", "ann@example.com", "  ")).thenError(UserException.InvalidName.class);
    }

    @Test
    void cannotChangeTheEmailOfAnUnregisteredUser() {
        user.givenNoPriorEvents().when(new ChangeEmail("u1", "ann@example.com")).thenError(UserException.NotRegistered.class);
    }

    @Test
    void aHistoryOfChangesFoldsToTheLatestEmail() {
        user.given(registered,
                        new UserEmailChanged("u1", "ann@example.com", "b@example.com"),
                        new UserEmailChanged("u1", "b@example.com", "c@example.com"))
                .when(new ChangeEmail("u1", "c@example.com"))
                .thenNoEvents()
                .thenState(new Registered("u1", "c@example.com", "Ann", true));
    }
}
