package io.annals.examples.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.examples.user.UserCommand.ChangeEmail;
import io.annals.examples.user.UserCommand.RegisterUser;
import io.annals.examples.user.UserEvent.UserEmailChanged;
import io.annals.examples.user.UserEvent.UserRegistered;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.EventTypeRegistry;
import io.annals.testing.QueryDeciderFixture;
import org.junit.jupiter.api.Test;

class UserAccountsTest {

    private final QueryDeciderFixture<UserCommand, UserAccounts.Accounts, UserEvent> users =
            QueryDeciderFixture.of(new UserAccounts(), new EventSerializer(UserModule.register(new EventTypeRegistry())));

    @Test
    void registersAUserUnderAFreeAddress() {
        users.given(new UserRegistered("ann", "ann@example.com", "Ann"))
                .when(new RegisterUser("bob", " Bob@Example.com ", "Bob"))
                .thenEvents(new UserRegistered("bob", "bob@example.com", "Bob"));
    }

    @Test
    void refusesAnAddressAnotherUserHasInAnySpelling() {
        users.given(new UserRegistered("ann", "ann@example.com", "Ann"))
                .when(new RegisterUser("bob", "ANN@example.com", "Bob"))
                .thenError(UserException.EmailTaken.class);
        users.given(new UserRegistered("ann", "ann@example.com", "Ann"), new UserRegistered("bob", "bob@example.com", "Bob"))
                .when(new ChangeEmail("bob", "ann@example.com"))
                .thenError(UserException.EmailTaken.class);
    }

    @Test
    void aChangedAddressIsFreeAgain() {
        var history = users.given(new UserRegistered("ann", "ann@example.com", "Ann"),
                new UserEmailChanged("ann", "ann@example.com", "ann@new.example"));
        history.when(new RegisterUser("bob", "ann@example.com", "Bob"))
                .thenEvents(new UserRegistered("bob", "ann@example.com", "Bob"));
        history.when(new RegisterUser("bob", "ann@new.example", "Bob"))
                .thenError(UserException.EmailTaken.class);
        history.when(new ChangeEmail("ann", "ann@example.com"))
                .thenEvents(new UserEmailChanged("ann", "ann@new.example", "ann@example.com"));
    }

    @Test
    void readsOnlyTheUsersOwnEventsAndThoseOfTheAddress() {
        var history = users.given(new UserRegistered("ann", "ann@example.com", "Ann"),
                new UserRegistered("bob", "bob@example.com", "Bob"),
                new UserEmailChanged("ann", "ann@example.com", "ann@new.example"));
        assertThat(history.selectedBy(new RegisterUser("cid", "bob@example.com", "Cid")))
                .containsExactly(new UserRegistered("bob", "bob@example.com", "Bob"));
        assertThat(history.selectedBy(new ChangeEmail("ann", "x@example.com")))
                .containsExactly(new UserRegistered("ann", "ann@example.com", "Ann"),
                        new UserEmailChanged("ann", "ann@example.com", "ann@new.example"));
    }

    @Test
    void keepsTheOtherRulesOfTheUser() {
        users.given(new UserRegistered("ann", "ann@example.com", "Ann"))
                .when(new RegisterUser("ann", "other@example.com", "Ann"))
                .thenError(UserException.AlreadyRegistered.class);
        users.givenNoPriorEvents()
                .when(new ChangeEmail("ann", "ann@example.com"))
                .thenError(UserException.NotRegistered.class);
        users.given(new UserRegistered("ann", "ann@example.com", "Ann"))
                .when(new ChangeEmail("ann", "ANN@example.com"))
                .thenNoEvents();
        users.givenNoPriorEvents()
                .when(new RegisterUser("ann", "not-an-address", "Ann"))
                .thenError(UserException.InvalidEmail.class);
    }
}
