package io.annals.examples.user;

import io.annals.aggregate.Decider;
import io.annals.examples.user.UserCommand.ChangeEmail;
import io.annals.examples.user.UserCommand.LockUser;
import io.annals.examples.user.UserCommand.RegisterUser;
import io.annals.examples.user.UserCommand.UnlockUser;
import io.annals.examples.user.UserEvent.UserEmailChanged;
import io.annals.examples.user.UserEvent.UserLocked;
import io.annals.examples.user.UserEvent.UserLoggedIn;
import io.annals.examples.user.UserEvent.UserLoginFailed;
import io.annals.examples.user.UserEvent.UserRegistered;
import io.annals.examples.user.UserEvent.UserUnlocked;
import io.annals.examples.user.UserState.Registered;
import io.annals.examples.user.UserState.Unregistered;
import java.util.List;

/** The seed's user aggregate as a decider: pure functions over sealed records. */
public final class UserDecider implements Decider<UserCommand, UserState, UserEvent> {

    @Override
    public UserState initialState() {
        return new Unregistered();
    }

    @Override
    public List<UserEvent> decide(UserCommand command, UserState state) {
        return switch (command) {
            case RegisterUser register -> switch (state) {
                case Unregistered u -> List.of(new UserRegistered(register.userId(),
                        new EmailAddress(register.email()).value(), UserNames.validate(register.name())));
                case Registered r -> throw new UserException.AlreadyRegistered(r.userId());
            };
            case ChangeEmail change -> switch (state) {
                case Unregistered u -> throw new UserException.NotRegistered(change.userId());
                case Registered user -> {
                    String newEmail = new EmailAddress(change.newEmail()).value();
                    yield newEmail.equals(user.email())
                            ? List.of()
                            : List.of(new UserEmailChanged(user.userId(), user.email(), newEmail));
                }
            };
            case LockUser lock -> switch (state) {
                case Unregistered u -> throw new UserException.NotRegistered(lock.userId());
                case Registered user -> user.active() ? List.of(new UserLocked(user.userId(), lock.reason())) : List.of();
            };
            case UnlockUser unlock -> switch (state) {
                case Unregistered u -> throw new UserException.NotRegistered(unlock.userId());
                case Registered user -> user.active() ? List.of() : List.of(new UserUnlocked(user.userId()));
            };
        };
    }

    @Override
    public UserState evolve(UserState state, UserEvent event) {
        return switch (event) {
            case UserRegistered registered -> new Registered(registered.userId(), registered.email(), registered.name(), true);
            case UserEmailChanged changed -> switch (state) {
                case Registered user -> new Registered(user.userId(), changed.newEmail(), user.name(), user.active());
                case Unregistered u -> throw new IllegalStateException("email changed for unregistered user " + changed.userId());
            };
            case UserLocked locked -> withActive(state, false);
            case UserUnlocked unlocked -> withActive(state, true);
            case UserLoggedIn login -> state;
            case UserLoginFailed failure -> state;
        };
    }

    private static UserState withActive(UserState state, boolean active) {
        return switch (state) {
            case Registered user -> new Registered(user.userId(), user.email(), user.name(), active);
            case Unregistered u -> throw new IllegalStateException("a lock of an unregistered user");
        };
    }
}
