package com.example.users;

import io.annals.aggregate.DomainException;
import io.annals.testing.DeciderFixture;
import org.junit.jupiter.api.Test;

class UserDeciderTest {

    private final DeciderFixture<UserCommand, UserState, UserEvent> user = DeciderFixture.of(new UserDecider());

    @Test
    void changesTheEmail() {
        user.given(new UserEvent.UserRegistered("u1", "ann@example.com", "Ann"))
            .when(new UserCommand.ChangeEmail("u1", "ann@new.example"))
            .thenEvents(new UserEvent.UserEmailChanged("u1", "ann@example.com", "ann@new.example"));
    }

    @Test
    void refusesASecondRegistration() {
        user.given(new UserEvent.UserRegistered("u1", "ann@example.com", "Ann"))
            .when(new UserCommand.RegisterUser("u1", "x@example.com", "X"))
            .thenError(DomainException.class);
    }
}
